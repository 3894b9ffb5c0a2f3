import { TOPICS } from '../../../contracts/events/bus-topics.ts';
import { toCloudEvent } from '../../../contracts/events/cloudevent.ts';
import type { StoredEvent } from '../../../contracts/events/stored-event.ts';
import { toTaskChangeCloudEvent } from '../../../contracts/events/task-change-cloudevent.ts';
import { parseTaskEvent } from '../../../contracts/events/task-events.ts';
import type { EventLog } from '../../../contracts/ports/event-log.ts';
import type { EventPublisher } from '../../../contracts/ports/event-publisher.ts';
import { foldWholeStream } from '../../../contracts/events/fold-task-stream.ts';
import type { TaskState } from '../../../domain/task/types.ts';
import type { Outbox } from '../../runtime/projector.ts';
import { changesReminders } from './reminder-relevance.ts';
import { PROJECTIONS } from '../../../contracts/projection-names.ts';

/**
 * The dapr transport's relay: publishes the log, in log order, to the bus. It is the outbox kind of
 * consumer, so that the runtime gives it what a relay needs — one active instance (advisory lock), batches
 * from a checkpoint that is saved only after `publish` returned, i.e. after the sidecar acknowledged every
 * publish of the batch, retries with backoff, lag and throughput metrics. A batch that fails half way is
 * published again from its start: at-least-once, the subscribers' inbox absorbs the duplicates. Publishes
 * are awaited one by one, so a task's events reach its partition in order.
 */
export function createRelayOutbox(deps: { log: Pick<EventLog, 'readStream'>; publisher: EventPublisher }): Outbox {
  const { log, publisher } = deps;

  /** The task right after this event, folded from its own stream (whatever happened to it since). */
  async function stateAfter(event: StoredEvent): Promise<TaskState> {
    return foldWholeStream(await log.readStream(event.stream_id, { toVersion: event.version }));
  }

  async function relay(event: StoredEvent): Promise<void> {
    const parsed = parseTaskEvent(event.type, event.data);
    // Not a task event: nothing of ours subscribes to it, and the envelope has no type for it.
    if (!parsed) return;
    const key = event.stream_id;
    const cloudEvent = toCloudEvent({ ...event, type: parsed.type, data: { ...parsed.data } });
    // The relay forwards the change's trace context as it was stored: it takes part in no trace of its own.
    const traceparent = event.metadata.traceparent;
    await publisher.publish({ topic: TOPICS.taskEvents, partitionKey: key, event: cloudEvent, traceparent });
    const after = await stateAfter(event);
    if (changesReminders(parsed, after)) {
      await publisher.publish({ topic: TOPICS.reminders, partitionKey: key, event: cloudEvent, traceparent });
    }
    if (after.kind === 'present') {
      const change = {
        position: event.position,
        transaction_id: event.transaction_id,
        task_id: key,
        version: event.version,
        event_type: parsed.type,
        owner: after.task.user_id,
        task: after.task.deleted_at ? null : after.task,
      };
      await publisher.publish({
        topic: TOPICS.taskUpdates, partitionKey: key, traceparent,
        event: toTaskChangeCloudEvent(change, event.event_id, event.created_at, traceparent),
      });
    }
  }

  return {
    kind: 'outbox',
    name: PROJECTIONS.relay,
    // A relay must not skip: a subscriber would never see the event. It stops, visibly, and waits for an operator.
    onPoison: 'stop',
    async publish(events) {
      for (const event of events) await relay(event);
    },
  };
}
