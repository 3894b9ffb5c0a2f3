import type { StoredEvent, StreamEvent } from '../../contracts/events/stored-event.ts';
import { identifier, type Queryable, type TransactionScope } from '../../contracts/ports/sql.ts';
import { initialState } from '../../domain/task/evolve.ts';
import { evolveStored } from '../runtime/evolve-stored.ts';
import type { TaskState } from '../../domain/task/types.ts';
import type { Projector } from '../runtime/projector.ts';
import { rowToTask, TASK_ROW_COLUMNS, TASK_VIEW, TASK_VIEW_COLUMNS, taskToRecord, type TaskRecord, type TaskRow } from '../../contracts/read-models/task-view-row.ts';
import { createTaskViewTable, taskViewIndexes } from './task-view-table.sql.ts';

const COLUMN_NAMES = TASK_VIEW_COLUMNS.map((c) => c.name);
const RECORD_COLUMNS = TASK_VIEW_COLUMNS.map((c) => `${c.name} ${c.type}`).join(', ');
const UPDATE_SET = COLUMN_NAMES.filter((c) => c !== 'task_id').map((c) => `${c} = excluded.${c}`).join(', ');

/** The events of a batch, task by task, in the order they came. */
function byTask<E extends StreamEvent>(events: readonly E[]): Map<string, E[]> {
  const tasks = new Map<string, E[]>();
  for (const event of events) {
    const list = tasks.get(event.stream_id);
    if (list) list.push(event); else tasks.set(event.stream_id, [event]);
  }
  return tasks;
}

/**
 * Folds one task's new events onto its row (none: a task not yet seen) with the domain's own `evolve` —
 * the same function the write side decides with. Events at or below the row's version are skipped, so a
 * batch applied twice changes nothing. The record to write, or null when nothing changed.
 */
function foldTask(row: TaskRow | undefined, taskEvents: readonly StreamEvent[]): TaskRecord | null {
  let state: TaskState = row ? { kind: 'present', task: rowToTask(row) } : initialState;
  let position = row?.position ?? 0;
  const from = state.kind === 'present' ? state.task.version : 0;
  for (const stored of taskEvents) {
    if (stored.version <= from) continue;
    const step = evolveStored(state, stored);
    if (!step) continue;
    state = step.state;
    position = stored.position;
  }
  return state.kind === 'present' && state.task.version > from ? taskToRecord(state.task, position) : null;
}

const upsertRows = (table: string): string => `
  INSERT INTO ${identifier(table)} (${COLUMN_NAMES.join(', ')})
  SELECT ${COLUMN_NAMES.join(', ')} FROM jsonb_to_recordset($1::jsonb) AS r (${RECORD_COLUMNS})
  ON CONFLICT (task_id) DO UPDATE SET ${UPDATE_SET} WHERE ${identifier(table)}.version < excluded.version`;

/** Each changed task's row in one statement: two round trips per batch, whatever its size. */
async function applyTaskEvents(tx: Queryable, events: readonly StoredEvent[], table: string | null): Promise<void> {
  if (!table) throw new Error('task-view needs its table');
  const tasks = byTask(events);
  const existing = await tx.query<TaskRow>(`SELECT ${TASK_ROW_COLUMNS} FROM ${identifier(table)} WHERE task_id = ANY($1::uuid[])`, [[...tasks.keys()]]);
  const rows = new Map(existing.rows.map((row) => [row.task_id, row]));
  const records = [...tasks].flatMap(([taskId, taskEvents]) => foldTask(rows.get(taskId), taskEvents) ?? []);
  if (records.length === 0) return;
  await tx.query(upsertRows(table), [JSON.stringify(records)]);
}

/**
 * A rebuild's whole tasks into a table that has none of them: no look-up and no conflict handling, and COPY
 * instead of an INSERT (PostgreSQL parses COPY's text in a fraction of the time it takes for jsonb).
 */
async function loadWholeTasks(tx: TransactionScope, events: readonly StreamEvent[], table: string): Promise<void> {
  const records = [...byTask(events).values()].flatMap((taskEvents) => foldTask(undefined, taskEvents) ?? []);
  if (records.length > 0) await tx.copyRows(table, COLUMN_NAMES, records.map((record) => TASK_VIEW_COLUMNS.map((c) => c.copy(record))));
}

export const taskViewProjector: Projector = {
  name: 'task-view',
  // A task row that cannot be built is one stale task, not a reason to stop every query's freshness.
  onPoison: 'skip',
  table: { base: 'task_view', schemaVersion: 1, view: TASK_VIEW, create: createTaskViewTable, indexes: taskViewIndexes, replay: 'by-stream', load: loadWholeTasks },
  apply: applyTaskEvents,
  async forgetStream(tx, table, streamId) {
    if (table) await tx.query(`DELETE FROM ${identifier(table)} WHERE task_id = $1`, [streamId]);
  },
};
