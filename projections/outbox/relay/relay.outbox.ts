import { TOPICS } from '../../../contracts/events/bus-topics.ts';
import { toCloudEvent } from '../../../contracts/events/cloudevent.ts';
import type { StoredEvent } from '../../../contracts/events/stored-event.ts';
import { toTaskChangeCloudEvent } from '../../../contracts/events/task-change-cloudevent.ts';
import type { EventLog } from '../../../contracts/ports/event-log.ts';
import type { BusMessage, EventPublisher } from '../../../contracts/ports/event-publisher.ts';
import type { FoldStep } from '../../../contracts/events/fold-task-stream.ts';
import { foldBatch, taskStates } from '../../runtime/fold-batch.ts';
import { taskChangeOf } from '../../../contracts/events/task-change.ts';
import type { Outbox } from '../../runtime/projector.ts';
import { changesReminders } from './reminder-relevance.ts';
import { PROJECTIONS } from '../../../contracts/projection-names.ts';

/**
 * The dapr transport's relay: publishes the log, in log order, to the bus. It is the outbox kind of
 * consumer, so that the runtime gives it what a relay needs — one active instance (advisory lock), batches
 * from a checkpoint that is saved only after `publish` returned, i.e. after the sidecar acknowledged every
 * publish of the batch, retries with backoff, lag and throughput metrics. A batch that fails half way is
 * published again from its start: at-least-once, the subscribers' inbox absorbs the duplicates. Publishes
 * go out in one bulk call per topic where the publisher has one (else one by one), in log order per task,
 * so a task's events reach its partition in order.
 */
export function createRelayOutbox(deps: { log: Pick<EventLog, 'readStreamPrefixes'>; publisher: EventPublisher }): Outbox {
  const { log, publisher } = deps;
  const remembered = taskStates();

  /** The messages of one folded event, given the task right after it. */
  function messagesOf(step: FoldStep<StoredEvent>): BusMessage[] {
    const { stored, event, after } = step;
    const key = stored.stream_id;
    const cloudEvent = toCloudEvent({ ...stored, type: event.type, data: { ...event.data } });
    // The relay forwards the change's trace context as it was stored: it takes part in no trace of its own.
    const traceparent = stored.metadata.traceparent;
    const messages: BusMessage[] = [{ topic: TOPICS.taskEvents, partitionKey: key, event: cloudEvent, traceparent }];
    if (changesReminders(event, after)) {
      messages.push({ topic: TOPICS.reminders, partitionKey: key, event: cloudEvent, traceparent });
    }
    const change = taskChangeOf(step);
    if (change) {
      messages.push({
        topic: TOPICS.taskUpdates, partitionKey: key, traceparent,
        event: toTaskChangeCloudEvent(change, stored.event_id, stored.created_at, traceparent),
      });
    }
    return messages;
  }

  return {
    kind: 'outbox',
    name: PROJECTIONS.relay,
    // A relay must not skip: a subscriber would never see the event. It stops, visibly, and waits for an operator.
    onPoison: 'stop',
    async publish(events) {
      const steps = await foldBatch(log, events, remembered);
      // An event that folds nothing (not a task event: nothing of ours subscribes to it) has no message.
      const messages = events.flatMap((event) => {
        const step = steps.get(event);
        return step ? messagesOf(step) : [];
      });
      if (publisher.publishAll) await publisher.publishAll(messages);
      else for (const message of messages) await publisher.publish(message);
    },
  };
}
