import { TOPICS } from '../../../contracts/events/bus-topics.ts';
import { toCloudEvent } from '../../../contracts/events/cloudevent.ts';
import type { StoredEvent } from '../../../contracts/events/stored-event.ts';
import { toTaskChangeCloudEvent } from '../../../contracts/events/task-change-cloudevent.ts';
import { parseTaskEvent } from '../../../contracts/events/task-events.ts';
import type { EventLog } from '../../../contracts/ports/event-log.ts';
import type { BusMessage, EventPublisher } from '../../../contracts/ports/event-publisher.ts';
import { foldTaskStream, foldWholeStream } from '../../../contracts/events/fold-task-stream.ts';
import { initialState } from '../../../domain/task/evolve.ts';
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
 * go out in one bulk call per topic where the publisher has one (else one by one), in log order per task,
 * so a task's events reach its partition in order.
 */
export function createRelayOutbox(deps: { log: Pick<EventLog, 'readStreamPrefixes'>; publisher: EventPublisher }): Outbox {
  const { log, publisher } = deps;

  /** The messages of one event, given the task right after it (folded from its own stream, whatever happened to it since). */
  function messagesOf(event: StoredEvent, after: TaskState): BusMessage[] {
    const parsed = parseTaskEvent(event.type, event.data);
    // Not a task event: nothing of ours subscribes to it, and the envelope has no type for it.
    if (!parsed) return [];
    const key = event.stream_id;
    const cloudEvent = toCloudEvent({ ...event, type: parsed.type, data: { ...parsed.data } });
    // The relay forwards the change's trace context as it was stored: it takes part in no trace of its own.
    const traceparent = event.metadata.traceparent;
    const messages: BusMessage[] = [{ topic: TOPICS.taskEvents, partitionKey: key, event: cloudEvent, traceparent }];
    if (changesReminders(parsed, after)) {
      messages.push({ topic: TOPICS.reminders, partitionKey: key, event: cloudEvent, traceparent });
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
      messages.push({
        topic: TOPICS.taskUpdates, partitionKey: key, traceparent,
        event: toTaskChangeCloudEvent(change, event.event_id, event.created_at, traceparent),
      });
    }
    return messages;
  }

  /**
   * The task after each event of the batch. A stream's events in the batch are folded onto its history
   * before the first of them: the histories of all the batch's streams come in one read (none for a task
   * created in the batch). Should a stream's versions in the batch not follow each other, each of its
   * events folds its own stream prefix instead.
   */
  async function statesAfter(events: readonly StoredEvent[]): Promise<Map<string, TaskState>> {
    const byStream = new Map<string, StoredEvent[]>();
    for (const event of events) {
      const list = byStream.get(event.stream_id);
      if (list) list.push(event); else byStream.set(event.stream_id, [event]);
    }
    const streams = [...byStream.values()].map((list) => [...list].sort((a, b) => a.version - b.version));
    const contiguous = (list: readonly StoredEvent[]) => list.every((event, i) => event.version === (list[0]?.version ?? 0) + i);
    const places = streams.flatMap((list) => {
      const first = list[0];
      if (!first) return [];
      const last = list.at(-1) ?? first;
      if (!contiguous(list)) return [{ stream_id: last.stream_id, version: last.version }];
      return first.version > 1 ? [{ stream_id: first.stream_id, version: first.version - 1 }] : [];
    });
    const history = new Map<string, StoredEvent[]>();
    for (const event of await log.readStreamPrefixes(places)) {
      const list = history.get(event.stream_id);
      if (list) list.push(event); else history.set(event.stream_id, [event]);
    }
    const states = new Map<string, TaskState>();
    for (const list of streams) {
      const earlier = history.get(list[0]?.stream_id ?? '') ?? [];
      if (!contiguous(list)) {
        for (const event of list) states.set(event.event_id, foldWholeStream(earlier.filter((e) => e.version <= event.version)));
        continue;
      }
      let state = foldWholeStream(earlier);
      for (const event of list) {
        state = foldTaskStream(state, [event]);
        states.set(event.event_id, state);
      }
    }
    return states;
  }

  return {
    kind: 'outbox',
    name: PROJECTIONS.relay,
    // A relay must not skip: a subscriber would never see the event. It stops, visibly, and waits for an operator.
    onPoison: 'stop',
    async publish(events) {
      const states = await statesAfter(events);
      const messages = events.flatMap((event) => messagesOf(event, states.get(event.event_id) ?? initialState));
      if (publisher.publishAll) await publisher.publishAll(messages);
      else for (const message of messages) await publisher.publish(message);
    },
  };
}
