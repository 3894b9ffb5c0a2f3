import { identifier, preparedOn, type Queryable, type TransactionScope } from '../../../contracts/ports/sql.ts';
import type { AuditRecord } from '../../../contracts/read-models/audit-log-row.ts';

const RECORD_COLUMNS = `event_id uuid, position bigint, task_id uuid, owner_id text, actor_id text, action text, before jsonb,
  after jsonb, occurred_at timestamptz, correlation_id text`;
const COLUMN_NAMES = RECORD_COLUMNS.split(',').map((c) => c.trim().split(/\s+/)[0] ?? '').join(', ');

/** Append-only: an entry is written once per event id and never changed; a redelivered one is ignored. */
export async function appendAuditEntries(tx: Queryable, table: string, entries: readonly AuditRecord[]): Promise<void> {
  if (entries.length === 0) return;
  await tx.query(
    `INSERT INTO ${identifier(table)} (${COLUMN_NAMES})
     SELECT ${COLUMN_NAMES} FROM jsonb_to_recordset($1::jsonb) AS r (${RECORD_COLUMNS})
     ON CONFLICT (event_id) DO NOTHING`,
    [JSON.stringify(entries)],
    preparedOn('append-audit-entries', table),
  );
}

/** Only for a dead-letter retry, which replays the task's whole stream to write its entries as if nothing had failed. */
export async function forgetTaskEntries(tx: Queryable, table: string, taskId: string): Promise<void> {
  await tx.query(`DELETE FROM ${identifier(table)} WHERE task_id = $1`, [taskId]);
}

/** A rebuild's entries into a fresh table, with COPY: none of them is there yet. */
export async function copyAuditEntries(tx: TransactionScope, table: string, entries: readonly AuditRecord[]): Promise<void> {
  if (entries.length === 0) return;
  await tx.copyRows(table, COLUMN_NAMES.split(', '), entries.map((e) => [
    e.event_id, e.position, e.task_id, e.owner_id, e.actor_id, e.action,
    e.before === null ? null : JSON.stringify(e.before), JSON.stringify(e.after), e.occurred_at, e.correlation_id,
  ]));
}
