import type { Queryable } from '../../contracts/ports/sql.ts';
import { EVENT_COLUMNS, toStoredEvent, type EventRow, type Upcaster } from './row.ts';
import type { LogCheckpoint, StoredEvent } from './types.ts';

/*
 * The gap-safe global read. Positions are allocated before commit, so a transaction holding position 10
 * can commit after one holding 11. Reading only transactions older than the oldest still-running one
 * (pg_snapshot_xmin) and ordering by (transaction_id, position) means a reader that has passed a point
 * never sees a new event appear behind it: a late commit stalls readers briefly but is never skipped.
 * The row comparison walks the events_log_order index with no sort.
 */
export const READ_LOG_SQL = `
  SELECT ${EVENT_COLUMNS} FROM events
   WHERE (transaction_id, position) > ($1::xid8, $2::bigint)
     AND transaction_id < pg_snapshot_xmin(pg_current_snapshot())
   ORDER BY events.transaction_id, events.position
   LIMIT $3`;

export async function readLogAfter(
  db: Queryable,
  after: LogCheckpoint,
  limit: number,
  upcast: Upcaster,
): Promise<StoredEvent[]> {
  const result = await db.query<EventRow>(READ_LOG_SQL, [after.transaction_id, after.position, limit]);
  return result.rows.map((row) => toStoredEvent(row, upcast));
}

/** The newest committed position, for lag: the head of the log as a reader could see it now. */
export async function readLogHead(db: Queryable): Promise<LogCheckpoint> {
  const result = await db.query<{ transaction_id: string; position: number }>(
    `SELECT transaction_id::text AS transaction_id, position::float8 AS position FROM events
      WHERE transaction_id < pg_snapshot_xmin(pg_current_snapshot())
      ORDER BY events.transaction_id DESC, events.position DESC LIMIT 1`,
  );
  return result.rows[0] ?? { transaction_id: '0', position: 0 };
}

export async function checkpointAt(db: Queryable, position: number): Promise<LogCheckpoint | null> {
  const result = await db.query<{ transaction_id: string }>(
    `SELECT transaction_id::text AS transaction_id FROM events
      WHERE position = $1 AND transaction_id < pg_snapshot_xmin(pg_current_snapshot())`,
    [position],
  );
  const row = result.rows[0];
  return row ? { transaction_id: row.transaction_id, position } : null;
}

export async function countAfter(db: Queryable, after: LogCheckpoint, limit: number): Promise<number> {
  const result = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM (
       SELECT 1 FROM events WHERE (transaction_id, position) > ($1::xid8, $2::bigint) LIMIT $3) AS bounded`,
    [after.transaction_id, after.position, limit],
  );
  return result.rows[0]?.n ?? 0;
}
