import { foldWholeStream } from '../../../contracts/events/fold-task-stream.ts';
import type { StreamEvent } from '../../../contracts/events/stored-event.ts';
import type { EventLog } from '../../../contracts/ports/event-log.ts';
import { identifier, preparedOn, type Queryable, type TransactionScope } from '../../../contracts/ports/sql.ts';
import type { TaskState } from '../../../domain/task/types.ts';
import type { ReadModelProjection } from '../../runtime/projector.ts';
import { applySingleStream, foldStreams, groupByStream, readBeforeBatch, type SingleStreamModel } from '../../runtime/single-stream.ts';
import { initialState } from '../../../domain/task/evolve.ts';
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

/** Where a task's fold starts: its row, or what the log holds of it before the batch. */
interface TaskStart { readonly state: TaskState; readonly position: number }

/**
 * The tasks of a batch that have no row but whose events start past their creation, folded from the log up
 * to there: a task whose creation was skipped (an operator resolved its dead letter so) is the task the
 * write side knows as soon as a later event of it can be stored — an owner's fix, say — instead of never.
 */
async function foldedBefore(log: Pick<EventLog, 'readStreamPrefixes'>, tx: Queryable, streams: ReadonlyMap<string, readonly StreamEvent[]>, rows: ReadonlySet<string>): Promise<Map<string, TaskStart>> {
  const missing = [...streams].filter(([taskId]) => !rows.has(taskId));
  const earlier = await readBeforeBatch(log, tx, missing);
  return new Map(missing.map(([taskId]) => {
    const before = earlier.get(taskId) ?? [];
    return [taskId, { state: foldWholeStream(before), position: before.at(-1)?.position ?? 0 }] as const;
  }));
}

/**
 * A task's row is its task as the fold leaves it, with the log position of the last event folded. Two
 * round trips per batch, whatever its size: the rows of the batch's tasks, then one upsert of the changed.
 */
function taskViewModel(log: Pick<EventLog, 'readStreamPrefixes'>): SingleStreamModel<StreamEvent, TaskStart, TaskRecord> {
  return {
    async load(tx, table, streams) {
      const existing = await tx.query<TaskRow>(`SELECT ${TASK_ROW_COLUMNS} FROM ${identifier(table)} WHERE task_id = ANY($1::uuid[])`, [[...streams.keys()]], preparedOn('read-task-view-rows', table));
      const starts = new Map<string, TaskStart>(existing.rows.map((row) => [row.task_id, { state: { kind: 'present', task: rowToTask(row) }, position: row.position }]));
      for (const [taskId, start] of await foldedBefore(log, tx, streams, new Set(starts.keys()))) starts.set(taskId, start);
      return starts;
    },
    start: (saved) => saved?.state ?? initialState,
    fold(_taskId, saved) {
      let position = saved?.position ?? 0;
      return {
        step: ({ stored }) => { position = stored.position; },
        done: (state) => (state.kind === 'present' ? taskToRecord(state.task, position) : null),
      };
    },
    async save(tx, table, records) {
      await tx.query(upsertRows(table), [JSON.stringify(records)], preparedOn('upsert-task-view', table));
    },
  };
}

/**
 * Built with the log, which it reads only for a task it has no row of whose events start past its creation.
 * A rebuild's whole tasks go into a table that has none of them: no look-up and no conflict handling, and
 * COPY instead of an INSERT (PostgreSQL parses COPY's text in a fraction of the time it takes for jsonb).
 */
export function createTaskViewProjection(log: Pick<EventLog, 'readStreamPrefixes'>): ReadModelProjection {
  const model = taskViewModel(log);
  async function loadWholeTasks(tx: TransactionScope, events: readonly StreamEvent[], table: string): Promise<void> {
    const streams = groupByStream(events);
    const records = foldStreams(model, streams, await foldedBefore(log, tx, streams, new Set()));
    if (records.length > 0) await tx.copyRows(table, COLUMN_NAMES, records.map((record) => TASK_VIEW_COLUMNS.map((c) => c.copy(record))));
  }
  return {
    kind: 'read-model',
    name: PROJECTIONS.taskView,
    // A row that cannot be built would be served stale at the versions after it, with nothing to tell a
    // client: stop loudly instead (/ready, TodoProjectorStopped) until the dead letter is resolved.
    onPoison: 'stop',
    table: { base: 'task_view', schemaVersion: 3, view: TASK_VIEW, create: createTaskViewTable, indexes: taskViewIndexes, replay: 'by-stream', load: loadWholeTasks },
    apply: applySingleStream(model),
    async forgetStream(tx, table, streamId) {
      await tx.query(`DELETE FROM ${identifier(table)} WHERE task_id = $1`, [streamId]);
    },
  };
}
