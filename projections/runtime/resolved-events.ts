import type { StreamEvent } from '../../contracts/events/stored-event.ts';
import type { Queryable } from '../../contracts/ports/sql.ts';
import { resolvedPlaces, type Resolution } from './dead-letters.sql.ts';

/** Events of one projector, by place: those resolved as skipped (`todo projections dead-letters skip ID`), or as replayed. */
export interface EventPlaces {
  has(event: Pick<StreamEvent, 'stream_id' | 'version'>): boolean;
}

const placeOf = (event: Pick<StreamEvent, 'stream_id' | 'version'>) => `${event.stream_id}@${event.version}`;

/**
 * Read by place (stream, version), not by event id: a rebuild's stream-ordered reads carry no event ids.
 * Every run of a projector — the log runtime, a bus delivery, a rebuild, a retry — passes over these
 * events the same way, so a skipped event can never block a rebuild or be applied by one path only.
 */
export async function readSkippedEvents(db: Queryable, projection: string): Promise<EventPlaces> {
  return readResolved(db, projection, 'skipped');
}

/** The events a retry applied: a rebuild that cannot apply one alone applies it as the retry did. */
export async function readReplayedEvents(db: Queryable, projection: string): Promise<EventPlaces> {
  return readResolved(db, projection, 'replayed');
}

async function readResolved(db: Queryable, projection: string, resolution: Resolution): Promise<EventPlaces> {
  const places = new Set((await resolvedPlaces(db, projection, resolution)).map(placeOf));
  return { has: (event) => places.size > 0 && places.has(placeOf(event)) };
}

export function passOverSkipped<E extends StreamEvent>(events: readonly E[], skipped: EventPlaces): E[] {
  return events.filter((event) => !skipped.has(event));
}
