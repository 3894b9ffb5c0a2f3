import type { StreamEvent } from '../../contracts/events/stored-event.ts';
import type { StreamCursor } from '../../contracts/ports/event-log.ts';
import type { Queryable } from '../../contracts/ports/sql.ts';
import { EVENT_COLUMNS, toStoredEvent, type EventRow, type Upcaster } from './row.ts';
import type { LogCheckpoint, StoredEvent } from './types.ts';

/*
 * A settled prefix of the log, stream by stream. `upTo` is a head read earlier: every event at or before it
 * in log order has committed, and anything committed later sorts after it, so the set read here cannot
 * change while a rebuild walks it. The (stream_id, version) row comparison walks the unique index.
 */
const readByStream = (columns: string): string => `
  SELECT ${columns} FROM events
   WHERE (stream_id, version) > ($1::uuid, $2::integer)
     AND (transaction_id, position) <= ($3::xid8, $4::bigint)
   ORDER BY stream_id, version
   LIMIT $5`;

const READ_EVENTS_SQL = readByStream(EVENT_COLUMNS);

// Metadata, ids and the timestamp are most of what the driver decodes per row; a fold needs none of them.
const READ_PAYLOADS_SQL = readByStream('position::float8 AS position, stream_id, version::float8 AS version, type, schema_version, data');

const NO_STREAM: StreamCursor = { stream_id: '00000000-0000-0000-0000-000000000000', version: 0 };

const readRows = async <R extends object>(
  db: Queryable, statement: { readonly text: string; readonly name: string },
  upTo: LogCheckpoint, after: StreamCursor | null, limit: number,
): Promise<R[]> => {
  const from = after ?? NO_STREAM;
  const result = await db.query<R>(statement.text, [from.stream_id, from.version, upTo.transaction_id, upTo.position, limit], { name: statement.name });
  return result.rows;
};

export async function readStreamsUpTo(
  db: Queryable, upTo: LogCheckpoint, after: StreamCursor | null, limit: number, upcast: Upcaster,
): Promise<StoredEvent[]> {
  const rows = await readRows<EventRow>(db, { text: READ_EVENTS_SQL, name: 'read-by-stream' }, upTo, after, limit);
  return rows.map((row) => toStoredEvent(row, upcast));
}

export async function readStreamPayloadsUpTo(
  db: Queryable, upTo: LogCheckpoint, after: StreamCursor | null, limit: number, upcast: Upcaster,
): Promise<StreamEvent[]> {
  const rows = await readRows<StreamEvent>(db, { text: READ_PAYLOADS_SQL, name: 'read-payloads-by-stream' }, upTo, after, limit);
  return rows.map((row) => upcast(row));
}
