import { identifier, preparedOn, type Queryable, type TransactionScope } from '../../../contracts/ports/sql.ts';
import type { Task } from '../../../domain/task/types.ts';
import { taskStateTable } from './audit-table.sql.ts';

export interface AuditTaskState { readonly task: Task; readonly version: number }

export async function readTaskStates(tx: Queryable, table: string, taskIds: readonly string[]): Promise<Map<string, AuditTaskState>> {
  const result = await tx.query<{ task_id: string; state: Task; version: number }>(
    `SELECT task_id, state, version FROM ${identifier(taskStateTable(table))} WHERE task_id = ANY($1::uuid[])`,
    [taskIds],
    preparedOn('read-audit-task-states', table),
  );
  return new Map(result.rows.map((row) => [row.task_id, { task: row.state, version: row.version }]));
}

/** Version-guarded: a state never moves back, so a batch applied again, or late, changes nothing. */
export async function saveTaskStates(tx: Queryable, table: string, states: ReadonlyMap<string, AuditTaskState>): Promise<void> {
  if (states.size === 0) return;
  const t = identifier(taskStateTable(table));
  const records = [...states].map(([task_id, { task, version }]) => ({ task_id, state: task, version }));
  await tx.query(
    `INSERT INTO ${t} (task_id, state, version)
     SELECT task_id, state, version FROM jsonb_to_recordset($1::jsonb) AS r (task_id uuid, state jsonb, version integer)
     ON CONFLICT (task_id) DO UPDATE SET state = excluded.state, version = excluded.version WHERE ${t}.version < excluded.version`,
    [JSON.stringify(records)],
    preparedOn('save-audit-task-states', table),
  );
}

export async function forgetTaskState(tx: Queryable, table: string, taskId: string): Promise<void> {
  await tx.query(`DELETE FROM ${identifier(taskStateTable(table))} WHERE task_id = $1`, [taskId]);
}

/** A rebuild's states into a fresh state table (`taskStateTable` of the new audit table), with COPY. */
export async function copyTaskStates(tx: TransactionScope, stateTable: string, states: ReadonlyArray<readonly [string, AuditTaskState]>): Promise<void> {
  if (states.length === 0) return;
  await tx.copyRows(stateTable, ['task_id', 'state', 'version'], states.map(([taskId, { task, version }]) => [taskId, JSON.stringify(task), version]));
}
