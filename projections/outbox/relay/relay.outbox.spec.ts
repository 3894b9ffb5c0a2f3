import { describe, expect, it } from 'vitest';
import { TOPICS } from '../../../contracts/events/bus-topics.ts';
import { TASK_ID, taskCompleted, taskCreated, taskDeleted, taskUpdated } from '../../../domain/task/testing/task-fixtures.ts';
import { outboxSubject, projectionSpec } from '../../testing/projection-spec.ts';
import { storedStream, TRACEPARENT } from '../../testing/stored-stream.ts';
import { createRelayOutbox } from './relay.outbox.ts';

const relay = outboxSubject(({ log, publisher }) => createRelayOutbox({ log, publisher }));

describe('the relay', () => {
  it('publishes every task event, reminder changes and the task\'s new state, keyed by task, whatever the batches', async () => {
    const events = storedStream([
      taskCreated({ due: { date: '2030-03-01' }, reminders: [{ before_minutes: 60, channels: ['email'] }] }),
      taskUpdated({ title: 'Buy oat milk' }),
      taskCompleted(),
      taskDeleted(),
    ]);
    await projectionSpec(relay).given(events).thenRows((messages) => {
      const [created, renamed, completed, deleted] = events.map((e) => e.event_id);
      expect(messages.map((m) => [m.topic, (m.event as { id: string }).id])).toEqual([
        [TOPICS.taskEvents, created], [TOPICS.reminders, created], [TOPICS.taskUpdates, `${created}:change`],
        [TOPICS.taskEvents, renamed], [TOPICS.taskUpdates, `${renamed}:change`],
        [TOPICS.taskEvents, completed], [TOPICS.reminders, completed], [TOPICS.taskUpdates, `${completed}:change`],
        [TOPICS.taskEvents, deleted], [TOPICS.reminders, deleted], [TOPICS.taskUpdates, `${deleted}:change`],
      ]);
      expect(new Set(messages.map((m) => m.partitionKey))).toEqual(new Set([TASK_ID]));
      expect(new Set(messages.map((m) => m.traceparent))).toEqual(new Set([TRACEPARENT]));
    });
  });

  it('publishes nothing for an event that is not a task event', async () => {
    const [created] = storedStream([taskCreated()]);
    if (!created) throw new Error('no event');
    const foreign = { ...created, event_id: '00000000-0000-4000-8000-000000000999', type: 'SomethingElse', version: 2, position: 101, transaction_id: '101' };
    await projectionSpec(relay).given([created, foreign]).thenRows((messages) => {
      expect(messages.map((m) => m.topic)).toEqual([TOPICS.taskEvents, TOPICS.taskUpdates]);
    });
  });
});
