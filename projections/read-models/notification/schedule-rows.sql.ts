import { identifier, preparedOn, type Queryable } from '../../../contracts/ports/sql.ts';
import type { ScheduledReminder } from '../../../contracts/read-models/notification-schedule.ts';

type ScheduleRecord = Omit<ScheduledReminder, 'fire_at'> & { fire_at: Date };

export async function readScheduleRows(tx: Queryable, table: string, taskIds: readonly string[]): Promise<Map<string, ScheduledReminder[]>> {
  const result = await tx.query<ScheduleRecord>(
    `SELECT task_id, reminder_index, fire_at, user_id, email, title, due, channels, reminder, state, version, position::float8 AS position
       FROM ${identifier(table)} WHERE task_id = ANY($1::uuid[]) ORDER BY task_id, fire_at, reminder_index`,
    [taskIds],
    preparedOn('read-schedule-rows', table),
  );
  const byTask = new Map<string, ScheduledReminder[]>();
  for (const record of result.rows) {
    const row: ScheduledReminder = { ...record, fire_at: record.fire_at.toISOString() };
    const list = byTask.get(row.task_id);
    if (list) list.push(row); else byTask.set(row.task_id, [row]);
  }
  return byTask;
}

const ROW_COLUMNS = `task_id uuid, reminder_index integer, fire_at timestamptz, user_id text, email text, title text, due jsonb,
  channels text[], reminder jsonb, state text, version integer, position bigint`;
const ROW_NAMES = ROW_COLUMNS.split(',').map((c) => c.trim().split(/\s+/)[0] ?? '');
const KEY = ['task_id', 'reminder_index', 'fire_at'];
const UPDATE_SET = ROW_NAMES.filter((c) => !KEY.includes(c)).map((c) => `${c} = excluded.${c}`).join(', ');

/** Version-guarded: a row never moves back, so a batch applied again, or late, changes nothing. */
export async function saveScheduleRows(tx: Queryable, table: string, rows: readonly ScheduledReminder[]): Promise<void> {
  if (rows.length === 0) return;
  const t = identifier(table);
  await tx.query(
    `INSERT INTO ${t} (${ROW_NAMES.join(', ')})
     SELECT ${ROW_NAMES.join(', ')} FROM jsonb_to_recordset($1::jsonb) AS r (${ROW_COLUMNS})
     ON CONFLICT (task_id, reminder_index, fire_at) DO UPDATE SET ${UPDATE_SET} WHERE ${t}.version < excluded.version`,
    [JSON.stringify(rows)],
    preparedOn('save-schedule-rows', table),
  );
}

export async function forgetScheduleRows(tx: Queryable, table: string, taskId: string): Promise<void> {
  await tx.query(`DELETE FROM ${identifier(table)} WHERE task_id = $1`, [taskId]);
}
