import { identifier, preparedOn, type Queryable } from '../../../contracts/ports/sql.ts';
import type { Task } from '../../../domain/task/types.ts';
import { taskStateTable } from './schedule-table.sql.ts';

export interface NotificationTaskState { readonly task: Task; readonly email: string | null; readonly version: number }

export async function readTaskStates(tx: Queryable, table: string, taskIds: readonly string[]): Promise<Map<string, NotificationTaskState>> {
  const result = await tx.query<{ task_id: string; state: Task; email: string | null; version: number }>(
    `SELECT task_id, state, email, version FROM ${identifier(taskStateTable(table))} WHERE task_id = ANY($1::uuid[])`,
    [taskIds],
    preparedOn('read-schedule-task-states', table),
  );
  return new Map(result.rows.map((row) => [row.task_id, { task: row.state, email: row.email, version: row.version }]));
}

export async function saveTaskStates(tx: Queryable, table: string, states: ReadonlyMap<string, NotificationTaskState>): Promise<void> {
  if (states.size === 0) return;
  const t = identifier(taskStateTable(table));
  const records = [...states].map(([task_id, { task, email, version }]) => ({ task_id, state: task, email, version }));
  await tx.query(
    `INSERT INTO ${t} (task_id, state, email, version)
     SELECT task_id, state, email, version FROM jsonb_to_recordset($1::jsonb) AS r (task_id uuid, state jsonb, email text, version integer)
     ON CONFLICT (task_id) DO UPDATE SET state = excluded.state, email = excluded.email, version = excluded.version
      WHERE ${t}.version < excluded.version`,
    [JSON.stringify(records)],
    preparedOn('save-schedule-task-states', table),
  );
}

export async function forgetTaskState(tx: Queryable, table: string, taskId: string): Promise<void> {
  await tx.query(`DELETE FROM ${identifier(taskStateTable(table))} WHERE task_id = $1`, [taskId]);
}
