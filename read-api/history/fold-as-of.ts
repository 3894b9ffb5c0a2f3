import type { StoredEvent } from '../../contracts/events/stored-event.ts';
import type { AsOf } from '../../contracts/history.ts';

/**
 * The events that had happened at a point: always a prefix of the stream. Store times need not rise with
 * versions (a transaction can take its time before it commits), and folding version N+1 without N would
 * be a state the task never had, so an `at` stops at the first event recorded after it.
 */
export function eventsAsOf(events: readonly StoredEvent[], asOf: AsOf): StoredEvent[] {
  if ('version' in asOf) return events.filter((event) => event.version <= asOf.version);
  const at = Date.parse(asOf.at);
  const after = events.findIndex((event) => Date.parse(event.created_at) > at);
  return after === -1 ? [...events] : events.slice(0, after);
}
