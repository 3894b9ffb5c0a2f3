import type { StreamEvent } from '../../../contracts/events/stored-event.ts';
import { identifier, type TransactionScope } from '../../../contracts/ports/sql.ts';
import { initialState } from '../../../domain/task/evolve.ts';
import type { ReadModelProjection } from '../../runtime/projector.ts';
import { applySingleStream, foldStreams, groupByStream, type SingleStreamModel } from '../../runtime/single-stream.ts';
import { rowToTask, TASK_ROW_COLUMNS, TASK_VIEW, TASK_VIEW_COLUMNS, taskToRecord, type TaskRecord, type TaskRow } from '../../../contracts/read-models/task-view-row.ts';
import { createTaskViewTable, taskViewIndexes } from './task-view-table.sql.ts';
import { PROJECTIONS } from '../../../contracts/projection-names.ts';

const COLUMN_NAMES = TASK_VIEW_COLUMNS.map((c) => c.name);
const RECORD_COLUMNS = TASK_VIEW_COLUMNS.map((c) => `${c.name} ${c.type}`).join(', ');
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
  if (records.length > 0) await tx.copyRows(table, COLUMN_NAMES, records.map((record) => TASK_VIEW_COLUMNS.map((c) => c.copy(record))));
}

export const taskViewProjection: ReadModelProjection = {
  kind: 'read-model',
  name: PROJECTIONS.taskView,
  // A row that cannot be built would be served stale at the versions after it, with nothing to tell a
  // client: stop loudly instead (/ready, TodoProjectorStopped) until the dead letter is resolved.
  onPoison: 'stop',
  table: { base: 'task_view', schemaVersion: 2, view: TASK_VIEW, create: createTaskViewTable, indexes: taskViewIndexes, replay: 'by-stream', load: loadWholeTasks },
  apply: applySingleStream(taskViewModel),
  async forgetStream(tx, table, streamId) {
    await tx.query(`DELETE FROM ${identifier(table)} WHERE task_id = $1`, [streamId]);
  },
};
