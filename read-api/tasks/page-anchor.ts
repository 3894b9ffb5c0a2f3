import type { EventLog } from '../../contracts/ports/event-log.ts';
import type { Queryable } from '../../contracts/ports/sql.ts';
import { rowToTask } from '../../contracts/read-models/task-view-row.ts';
import type { Task } from '../../domain/task/types.ts';
import { foldWholeStream } from '../../contracts/events/fold-task-stream.ts';
import { findTask, sortKeyOf, type PageAnchor } from './list-tasks.sql.ts';
import type { TaskCursor } from './task-cursor.ts';

/**
 * Where the next page starts: after the cursor's task with the sort value it had when the page was made.
 * Usually the task is unchanged and its row says it; if it was written since, its stream up to that
 * version says what it was (a page never shifts because its last task was edited). Null when the cursor
 * names no task of this user's at that version: a forged cursor, or one of another user's.
 */
export async function pageAnchor(deps: { db: Queryable; log: Pick<EventLog, 'readStream'> }, userId: string, cursor: TaskCursor): Promise<PageAnchor | null> {
  const row = await findTask(deps.db, userId, cursor.task_id, { deleted: true });
  const task = row?.version === cursor.version ? rowToTask(row) : await taskAsItWas(deps.log, userId, cursor);
  return task ? { key: sortKeyOf(cursor.sort, task), id: task.id } : null;
}

async function taskAsItWas(log: Pick<EventLog, 'readStream'>, userId: string, cursor: TaskCursor): Promise<Task | null> {
  const state = foldWholeStream(await log.readStream(cursor.task_id, { toVersion: cursor.version }));
  if (state.kind !== 'present' || state.task.user_id !== userId || state.task.version !== cursor.version) return null;
  return state.task;
}
