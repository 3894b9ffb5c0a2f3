import type { Queryable, Transactional } from '../../contracts/ports/sql.ts';

/** The lowest normal transaction id (0-2 are PostgreSQL's own); re-stamped ids start here. */
const FIRST_NORMAL_XID = 3n;
/** Far more than any log needs (one id per out-of-order commit); a bound on the ids burnt below. */
const MAX_BURNT_XIDS = 5_000_000n;

/*
 * After a logical restore the events keep the source cluster's transaction ids. Re-stamping gives them ids
 * this cluster has already passed, in one transaction, keeping the log order (transaction_id, position):
 * walking the events in that order, a new id begins only where the position goes down (a transaction that
 * committed out of position order), so the ids needed are one plus the number of such places, whatever the
 * number of source transactions. Every other xid8 column (projection checkpoints, dead letters, and any a
 * later migration adds) holds a point of that same order and moves with it: to the new id of the newest
 * source transaction at or below it.
 */
const MAP_SQL = `
  CREATE TEMP TABLE restamp ON COMMIT DROP AS
  WITH ordered AS (
    SELECT transaction_id, position,
           CASE WHEN position < lag(position) OVER (ORDER BY transaction_id, position) THEN 1 ELSE 0 END AS descent
      FROM events
  ), grouped AS (
    SELECT transaction_id, sum(descent) OVER (ORDER BY transaction_id, position) AS run FROM ordered
  )
  SELECT transaction_id AS old_id, (($1::numeric + min(run))::text)::xid8 AS new_id
    FROM grouped GROUP BY transaction_id`;

async function xidColumns(db: Queryable): Promise<Array<{ table: string; column: string }>> {
  const result = await db.query<{ table: string; column: string }>(
    `SELECT c.table_name AS table, c.column_name AS column FROM information_schema.columns c
       JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
      WHERE c.table_schema = current_schema() AND c.udt_name = 'xid8' AND t.table_type = 'BASE TABLE'
        AND NOT (c.table_name = 'events' AND c.column_name = 'transaction_id')`,
  );
  return result.rows;
}

const quote = (name: string): string => `"${name.replaceAll('"', '""')}"`;

/** Burns transaction ids (one per autocommitted statement) until this server's horizon passes `needed`. */
async function passHorizon(db: Queryable, needed: bigint): Promise<void> {
  const current = async () => BigInt((await db.query<{ xmin: string }>('SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS xmin')).rows[0]?.xmin ?? '0');
  let horizon = await current();
  if (horizon > needed) return;
  if (needed - horizon > MAX_BURNT_XIDS) throw new Error(`re-stamping needs transaction ids up to ${needed}, but this server is at ${horizon}`);
  const start = horizon;
  while (horizon <= needed) {
    for (let i = 0n; i < needed - horizon + 1n; i++) await db.query('SELECT pg_current_xact_id()');
    const after = await current();
    // A long-running transaction elsewhere holds the horizon back; burning more ids cannot help.
    if (after === horizon || after - start > MAX_BURNT_XIDS) {
      throw new Error(`this server's oldest running transaction (${after}) holds the horizon below ${needed}; end it and run the restore again`);
    }
    horizon = after;
  }
}

export interface Restamped { readonly transactions: number; readonly new_ids: number }

/** Re-stamps the restored log's transaction ids below this server's horizon (see MAP_SQL). */
export async function restampTransactionIds(db: Transactional): Promise<Restamped> {
  const counts = await db.query<{ runs: string; transactions: string }>(
    `SELECT count(*)::text AS transactions, coalesce(sum(descent), 0)::text AS runs FROM (
       SELECT CASE WHEN position < lag(position) OVER (ORDER BY transaction_id, position) THEN 1 ELSE 0 END AS descent
         FROM events) AS walked`,
  );
  const runs = BigInt(counts.rows[0]?.runs ?? '0');
  await passHorizon(db, FIRST_NORMAL_XID + runs);
  const columns = await xidColumns(db);
  return db.transaction(async (tx) => {
    await tx.query('LOCK TABLE events IN ACCESS EXCLUSIVE MODE');
    await tx.query(MAP_SQL, [FIRST_NORMAL_XID.toString()]);
    const stats = await tx.query<{ transactions: number; new_ids: number }>(
      'SELECT count(*)::int AS transactions, count(DISTINCT new_id)::int AS new_ids FROM restamp');
    await tx.query('UPDATE events e SET transaction_id = r.new_id FROM restamp r WHERE e.transaction_id = r.old_id');
    for (const { table, column } of columns) {
      await tx.query(
        `UPDATE ${quote(table)} t SET ${quote(column)} = (
           SELECT r.new_id FROM restamp r WHERE r.old_id <= t.${quote(column)} ORDER BY r.old_id DESC LIMIT 1)
          WHERE t.${quote(column)} > '0'::xid8
            AND EXISTS (SELECT 1 FROM restamp r WHERE r.old_id <= t.${quote(column)})`,
      );
    }
    return stats.rows[0] ?? { transactions: 0, new_ids: 0 };
  });
}
