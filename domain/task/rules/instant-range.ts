import { parseInstant } from '../../time/iso-strings.ts';
import { EARLIEST_INSTANT, LATEST_INSTANT } from '../limits.ts';

// Both constants are valid instants by construction.
const EARLIEST = parseInstant(EARLIEST_INSTANT) ?? Number.NaN;
const LATEST = parseInstant(LATEST_INSTANT) ?? Number.NaN;

export const OUT_OF_RANGE = `must lie between ${EARLIEST_INSTANT} and ${LATEST_INSTANT}`;

/** Whether an instant (milliseconds since the epoch) lies within the instants a task may name. */
export function isInstantInRange(millis: number): boolean {
  return millis >= EARLIEST && millis <= LATEST;
}

/** The same for an RFC 3339 instant; an unparsable one is not in range. */
export function isInstantTextInRange(text: string): boolean {
  const millis = parseInstant(text);
  return millis !== null && isInstantInRange(millis);
}
