import type { Queryable } from '../../contracts/ports/sql.ts';

export interface UnorderableLog {
  /** The newest transaction id in the log. */
  readonly newest_transaction_id: string;
  /** The first transaction id this server has not handed out yet; every committed event must lie below it. */
  readonly next_transaction_id: string;
}

/**
 * The log is read in (transaction_id, position) order, and only below the oldest running transaction
 * (read-log.sql.ts). Events copied from another cluster (pg_dump and pg_restore) keep that cluster's ids,
 * which may lie in this server's future: readers stop at them, and new appends would sort before them.
 * A committed event with an id this server has not handed out yet is how that shows; null when none is.
 */
export async function unorderableLog(db: Queryable): Promise<UnorderableLog | null> {
  const result = await db.query<{ newest: string | null; next: string }>(
    `SELECT (SELECT transaction_id::text FROM events ORDER BY transaction_id DESC LIMIT 1) AS newest,
            pg_snapshot_xmax(pg_current_snapshot())::text AS next`,
  );
  const row = result.rows[0];
  if (!row || row.newest === null || BigInt(row.newest) < BigInt(row.next)) return null;
  return { newest_transaction_id: row.newest, next_transaction_id: row.next };
}

export function describeUnorderableLog(found: UnorderableLog): string {
  return `the event log's transaction ids lie in this PostgreSQL server's future (newest ${found.newest_transaction_id}, `
    + `the server is at ${found.next_transaction_id}): it was copied from another cluster (pg_dump/pg_restore) without `
    + 're-stamping them, so Todo cannot order new events after it. Restore with `todo restore --from DIR --force`, which '
    + 're-stamps them (docs/disaster-recovery.md)';
}

export class UnorderableLogError extends Error {
  readonly found: UnorderableLog;
  constructor(found: UnorderableLog) {
    super(describeUnorderableLog(found));
    this.name = 'UnorderableLogError';
    this.found = found;
  }
}

/** Throws UnorderableLogError when the log cannot be ordered on this server. */
export async function assertLogOrderable(db: Queryable): Promise<void> {
  const found = await unorderableLog(db);
  if (found) throw new UnorderableLogError(found);
}

export interface LogSummary { readonly head: { readonly transaction_id: string; readonly position: number }; readonly count: number }

/** The head a reader could see now and how many events there are, both in the caller's snapshot. */
export async function logSummary(db: Queryable): Promise<LogSummary> {
  const result = await db.query<{ transaction_id: string | null; position: number | null; count: number }>(
    `SELECT head.transaction_id, head.position, (SELECT count(*)::int FROM events) AS count
       FROM (SELECT 1) AS one LEFT JOIN LATERAL (
         SELECT transaction_id::text AS transaction_id, position::int AS position FROM events
          WHERE transaction_id < pg_snapshot_xmin(pg_current_snapshot())
          ORDER BY transaction_id DESC, position DESC LIMIT 1) AS head ON true`);
  const row = result.rows[0];
  return { head: { transaction_id: row?.transaction_id ?? '0', position: row?.position ?? 0 }, count: row?.count ?? 0 };
}
