import { taskChangeOf } from '../../contracts/events/task-change.ts';
import type { StoredEvent } from '../../contracts/events/stored-event.ts';
import type { EventLog } from '../../contracts/ports/event-log.ts';
import type { TaskChange } from '../../contracts/ports/live-feed.ts';
import { foldBatch, type TaskStates } from '../runtime/fold-batch.ts';

/** A change with the event it came from (its trace context goes into the fan-out log). */
export interface ChangeOf { readonly change: TaskChange; readonly event: StoredEvent }

/** Each task event of a batch (in log order) with the task as of that event (`foldBatch`). */
export async function taskChangesOf(log: Pick<EventLog, 'readStreamPrefixes'>, events: readonly StoredEvent[], remembered: TaskStates): Promise<ChangeOf[]> {
  const steps = await foldBatch(log, events, remembered);
  return events.flatMap((event) => {
    const step = steps.get(event);
    const change = step ? taskChangeOf(step) : null;
    return change ? [{ change, event }] : [];
  });
}
