import type { StreamCursor } from '../../contracts/ports/event-log.ts';
import type { Queryable } from '../../contracts/ports/sql.ts';
import { EVENT_COLUMNS, toStoredEvent, type EventRow, type Upcaster } from './row.ts';
import type { StoredEvent } from './types.ts';

/** The events at these places of their streams (those that exist), one index look-up each, in one query. */
export async function readEventsAt(db: Queryable, places: readonly StreamCursor[], upcast: Upcaster): Promise<StoredEvent[]> {
  if (places.length === 0) return [];
  const result = await db.query<EventRow>(
    `SELECT ${EVENT_COLUMNS} FROM events
      WHERE (stream_id, version) IN (SELECT * FROM unnest($1::uuid[], $2::integer[]))
      ORDER BY events.stream_id, events.version`,
    [places.map((p) => p.stream_id), places.map((p) => p.version)],
  );
  return result.rows.map((row) => toStoredEvent(row, upcast));
}

/** Each stream's events up to its place's version, one index range scan per stream, in one query. */
export async function readStreamPrefixes(db: Queryable, places: readonly StreamCursor[], upcast: Upcaster): Promise<StoredEvent[]> {
  if (places.length === 0) return [];
  const result = await db.query<EventRow>(
    `SELECT ${EVENT_COLUMNS} FROM unnest($1::uuid[], $2::integer[]) AS place (place_stream, place_version)
       JOIN events ON events.stream_id = place.place_stream AND events.version <= place.place_version
      ORDER BY events.stream_id, events.version`,
    [places.map((p) => p.stream_id), places.map((p) => p.version)],
  );
  return result.rows.map((row) => toStoredEvent(row, upcast));
}
