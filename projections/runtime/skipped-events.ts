import type { StreamEvent } from '../../contracts/events/stored-event.ts';
import type { Queryable } from '../../contracts/ports/sql.ts';
import { skippedPlaces } from './dead-letters.sql.ts';

/** The events an operator resolved as skipped for one projector (`todo projections dead-letters skip ID`). */
export interface SkippedEvents {
  has(event: Pick<StreamEvent, 'stream_id' | 'version'>): boolean;
}

const placeOf = (event: Pick<StreamEvent, 'stream_id' | 'version'>) => `${event.stream_id}@${event.version}`;

/**
 * Read by place (stream, version), not by event id: a rebuild's stream-ordered reads carry no event ids.
 * Every run of a projector — the log runtime, a bus delivery, a rebuild, a retry — passes over these
 * events the same way, so a skipped event can never block a rebuild or be applied by one path only.
 */
export async function readSkippedEvents(db: Queryable, projection: string): Promise<SkippedEvents> {
  const places = new Set((await skippedPlaces(db, projection)).map(placeOf));
  return { has: (event) => places.size > 0 && places.has(placeOf(event)) };
}

export function passOverSkipped<E extends StreamEvent>(events: readonly E[], skipped: SkippedEvents): E[] {
  return events.filter((event) => !skipped.has(event));
}
