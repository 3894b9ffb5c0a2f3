import { foldTaskStream, foldWholeStream, versionOf } from '../../contracts/events/fold-task-stream.ts';
import type { StoredEvent } from '../../contracts/events/stored-event.ts';
import type { EventLog } from '../../contracts/ports/event-log.ts';
import type { TaskChange } from '../../contracts/ports/live-feed.ts';
import type { TaskState } from '../../domain/task/types.ts';
import { groupByStream } from '../runtime/single-stream.ts';

/** A change with the event it came from (its trace context goes into the fan-out log). */
export interface ChangeOf { readonly change: TaskChange; readonly event: StoredEvent }

/**
 * The last task states a reader folded, most recent last, so that the next change of a task continues
 * from its state instead of reading its stream again; bounded, the least recently changed go first.
 */
export function taskStates(capacity: number) {
  const states = new Map<string, TaskState>();
  return {
    get: (taskId: string): TaskState | undefined => states.get(taskId),
    set(taskId: string, state: TaskState): void {
      states.delete(taskId);
      states.set(taskId, state);
      if (states.size > capacity) {
        const oldest = states.keys().next();
        if (!oldest.done) states.delete(oldest.value);
      }
    },
  };
}

export type TaskStates = ReturnType<typeof taskStates>;

/**
 * Each task event of a batch (in log order) with the task as of that event, folded with the one fold:
 * a task continues from its remembered state when that is the version just before its first event here,
 * and is otherwise folded from its stream up to there once per batch, never once per change. The states
 * are remembered only once the whole batch is folded, so a batch that failed half way is folded afresh.
 */
export async function taskChangesOf(log: Pick<EventLog, 'readStream'>, events: readonly StoredEvent[], remembered: TaskStates): Promise<ChangeOf[]> {
  const changes = new Map<StoredEvent, TaskChange>();
  const ended = new Map<string, TaskState>();
  await Promise.all([...groupByStream(events)].map(async ([taskId, taskEvents]) => {
    const first = taskEvents[0]?.version ?? 1;
    const known = remembered.get(taskId);
    const start = known && versionOf(known) === first - 1
      ? known
      : foldWholeStream(first > 1 ? await log.readStream(taskId, { toVersion: first - 1 }) : []);
    const end = foldTaskStream(start, taskEvents, ({ stored, event, after }) => {
      if (after.kind === 'absent') return;
      changes.set(stored, {
        position: stored.position,
        transaction_id: stored.transaction_id,
        task_id: stored.stream_id,
        version: stored.version,
        event_type: event.type,
        owner: after.task.user_id,
        task: after.task.deleted_at ? null : after.task,
      });
    });
    ended.set(taskId, end);
  }));
  for (const [taskId, state] of ended) remembered.set(taskId, state);
  return events.flatMap((event) => {
    const change = changes.get(event);
    return change ? [{ change, event }] : [];
  });
}
