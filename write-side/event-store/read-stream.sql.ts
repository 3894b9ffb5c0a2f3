import type { Queryable } from '../../contracts/ports/sql.ts';
import { EVENT_COLUMNS, toStoredEvent, type EventRow, type Upcaster } from './row.ts';
import type { StoredEvent } from './types.ts';

/** The events of one stream in version order, upcast to their current schema. */
export async function readStream(
  db: Queryable,
  streamId: string,
  upcast: Upcaster,
  options: { fromVersion?: number; toVersion?: number; limit?: number } = {},
): Promise<StoredEvent[]> {
  const result = await db.query<EventRow>(
    `SELECT ${EVENT_COLUMNS} FROM events
      WHERE stream_id = $1 AND version >= $2 AND version <= $3
      ORDER BY events.version
      LIMIT $4`,
    [streamId, options.fromVersion ?? 1, options.toVersion ?? Number.MAX_SAFE_INTEGER, options.limit ?? null],
  );
  return result.rows.map((row) => toStoredEvent(row, upcast));
}
