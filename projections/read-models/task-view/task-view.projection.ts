import type { StreamEvent } from '../../../contracts/events/stored-event.ts';
import { identifier, type CopyValue, type TransactionScope } from '../../../contracts/ports/sql.ts';
import { initialState } from '../../../domain/task/evolve.ts';
import type { ReadModelProjection } from '../../runtime/projector.ts';
import { applySingleStream, foldStreams, groupByStream, type SingleStreamModel } from '../../runtime/single-stream.ts';
import { rowToTask, TASK_ROW_COLUMNS, TASK_VIEW, taskToRecord, type TaskRecord, type TaskRow } from '../../../contracts/read-models/task-view-row.ts';
import { createTaskViewTable, taskViewIndexes } from './task-view-table.sql.ts';
import { PROJECTIONS } from '../../../contracts/projection-names.ts';

const json = (value: unknown): string | null => (value === null ? null : JSON.stringify(value));

/** The columns the projection writes, in one order: name, SQL type (for jsonb_to_recordset), value (for COPY). */
const COLUMNS: readonly (readonly [name: keyof TaskRecord, type: string, value: (r: TaskRecord) => CopyValue])[] = [
  ['task_id', 'uuid', (r) => r.task_id],
  ['user_id', 'text', (r) => r.user_id],
  ['title', 'text', (r) => r.title],
  ['description', 'text', (r) => r.description],
  ['status', 'text', (r) => r.status],
  ['priority', 'text', (r) => r.priority],
  ['priority_rank', 'smallint', (r) => r.priority_rank],
  ['tags', 'text[]', (r) => r.tags],
  ['due', 'jsonb', (r) => json(r.due)],
  ['due_at', 'timestamptz', (r) => r.due_at],
  ['overdue_at', 'timestamptz', (r) => r.overdue_at],
  ['reminders', 'jsonb', (r) => json(r.reminders)],
  ['recurrence', 'jsonb', (r) => json(r.recurrence)],
  ['series_id', 'uuid', (r) => r.series_id],
  ['occurrence', 'integer', (r) => r.occurrence],
  ['created_at', 'timestamptz', (r) => r.created_at],
  ['updated_at', 'timestamptz', (r) => r.updated_at],
  ['completed_at', 'timestamptz', (r) => r.completed_at],
  ['deleted_at', 'timestamptz', (r) => r.deleted_at],
  ['version', 'integer', (r) => r.version],
  ['position', 'bigint', (r) => r.position],
];

const COLUMN_NAMES = COLUMNS.map(([name]) => name);
const RECORD_COLUMNS = COLUMNS.map(([name, type]) => `${name} ${type}`).join(', ');
const UPDATE_SET = COLUMN_NAMES.filter((c) => c !== 'task_id').map((c) => `${c} = excluded.${c}`).join(', ');

const upsertRows = (table: string): string => `
  INSERT INTO ${identifier(table)} (${COLUMN_NAMES.join(', ')})
  SELECT ${COLUMN_NAMES.join(', ')} FROM jsonb_to_recordset($1::jsonb) AS r (${RECORD_COLUMNS})
  ON CONFLICT (task_id) DO UPDATE SET ${UPDATE_SET} WHERE ${identifier(table)}.version < excluded.version`;

/**
 * A task's row is its task as the fold leaves it, with the log position of the last event folded. Two
 * round trips per batch, whatever its size: the rows of the batch's tasks, then one upsert of the changed.
 */
const taskViewModel: SingleStreamModel<StreamEvent, TaskRow, TaskRecord> = {
  async load(tx, table, streams) {
    const existing = await tx.query<TaskRow>(`SELECT ${TASK_ROW_COLUMNS} FROM ${identifier(table)} WHERE task_id = ANY($1::uuid[])`, [[...streams.keys()]]);
    return new Map(existing.rows.map((row) => [row.task_id, row]));
  },
  start: (row) => (row ? { kind: 'present', task: rowToTask(row) } : initialState),
  fold(_taskId, row) {
    let position = row?.position ?? 0;
    return {
      step: ({ stored }) => { position = stored.position; },
      done: (state) => (state.kind === 'present' ? taskToRecord(state.task, position) : null),
    };
  },
  async save(tx, table, records) {
    await tx.query(upsertRows(table), [JSON.stringify(records)]);
  },
};

/**
 * A rebuild's whole tasks into a table that has none of them: no look-up and no conflict handling, and COPY
 * instead of an INSERT (PostgreSQL parses COPY's text in a fraction of the time it takes for jsonb).
 */
async function loadWholeTasks(tx: TransactionScope, events: readonly StreamEvent[], table: string): Promise<void> {
  const records = foldStreams(taskViewModel, groupByStream(events), new Map());
  if (records.length > 0) await tx.copyRows(table, COLUMN_NAMES, records.map((record) => COLUMNS.map(([, , value]) => value(record))));
}

export const taskViewProjection: ReadModelProjection = {
  kind: 'read-model',
  name: PROJECTIONS.taskView,
  // A task row that cannot be built is one stale task, not a reason to stop every query's freshness.
  onPoison: 'skip',
  table: { base: 'task_view', view: TASK_VIEW, create: createTaskViewTable, indexes: taskViewIndexes, replay: 'by-stream', load: loadWholeTasks },
  apply: applySingleStream(taskViewModel),
  async forgetStream(tx, table, streamId) {
    await tx.query(`DELETE FROM ${identifier(table)} WHERE task_id = $1`, [streamId]);
  },
};
