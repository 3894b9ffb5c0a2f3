import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { StoredEvent } from '../../../contracts/events/stored-event.ts';
import type { Queryable } from '../../../contracts/ports/sql.ts';
import type { CommandContext, CommandInput, CommandOutcome, TaskCommands } from '../../../contracts/ports/task-commands.ts';
import {
  OTHER_USER, TASK_ID, USER, taskCompleted, taskCreated, taskDeleted, taskReopened, taskUpdated,
} from '../../../domain/task/testing/task-fixtures.ts';
import type { TaskEvent } from '../../../domain/task/types.ts';
import { occurrenceId } from './occurrence-id.ts';
import { createRecurringReactor } from './recurring.reactor.ts';
import { applyBatch } from '../../runtime/apply-batch.ts';
import { projectionSpec, reactorSubject } from '../../testing/projection-spec.ts';
import { storedStream } from '../../testing/stored-stream.ts';

/* The reactor, as the runtime hands it a batch, against an in-memory stream and a recording command handler: what it asks the write side. */

const CORRELATION = 'c0ffee00-0000-4000-8000-000000000001';

function stream(...events: TaskEvent[]): StoredEvent[] {
  return events.map((event, index) => ({
    event_id: `00000000-0000-4000-8000-${String(index + 1).padStart(12, '0')}`,
    type: event.type,
    schema_version: 1,
    data: event.data,
    metadata: {
      user_id: USER, correlation_id: CORRELATION, causation_id: null, traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
      idempotency_key: null, request_id: null, user_email: 'ada@example.com',
    },
    stream_id: TASK_ID,
    version: index + 1,
    position: 100 + index,
    transaction_id: '7',
    created_at: '2026-03-01T09:00:00.000Z',
  }));
}

interface Setup {
  readonly calls: Array<{ command: CommandInput; context: CommandContext }>;
  readonly logs: Array<{ level: number; msg: string; [key: string]: unknown }>;
  /** SQL the runtime ran in the batch transaction for the reactor. */
  readonly statements: string[];
  apply(events: readonly StoredEvent[]): Promise<void>;
}

function reactorOver(events: readonly StoredEvent[], answer: (command: CommandInput) => Promise<CommandOutcome> = accepted): Setup {
  const calls: Setup['calls'] = [];
  const logs: Setup['logs'] = [];
  const statements: string[] = [];
  const tx: Queryable = {
    async query(text) {
      statements.push(text);
      return { rows: [], rowCount: 0 };
    },
  };
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logs.push(JSON.parse(chunk.toString('utf8')) as Setup['logs'][number]);
      done();
    },
  });
  const commands: TaskCommands = {
    handle(command, context) {
      calls.push({ command, context });
      return answer(command);
    },
  };
  const reactor = createRecurringReactor({
    log: {
      readStream: async (streamId, options = {}) =>
        events.filter((e) => e.stream_id === streamId && e.version <= (options.toVersion ?? Number.POSITIVE_INFINITY)),
    },
    commands,
    logger: pino({ level: 'info' }, sink),
  });
  return { calls, logs, statements, apply: (batch) => applyBatch(tx, reactor, batch, null) };
}

async function accepted(command: CommandInput): Promise<CommandOutcome> {
  return { ok: true, value: { task_id: command.task_id, version: 1, position: 500, replayed: false } };
}

const daily = taskCreated({ due: { datetime: '2026-03-01T09:00', timezone: 'Europe/Berlin' }, recurrence: { rrule: 'FREQ=DAILY', anchor: 'due' }, tags: ['home'] });
const completion = (events: readonly StoredEvent[]) => events.filter((e) => e.type === 'TaskCompleted');

describe('the recurring reactor', () => {
  it('creates the next occurrence of a completed recurring task, as its owner, with a deterministic id', async () => {
    const events = stream(daily, taskCompleted('2026-03-01T08:30:00.000Z'));
    const setup = reactorOver(events);
    await setup.apply(events);
    expect(setup.calls).toEqual([{
      command: {
        type: 'CreateTask',
        task_id: occurrenceId(TASK_ID, 1),
        user_id: USER,
        fields: {
          title: 'Buy milk', description: null, priority: 'none', tags: ['home'], reminders: [],
          due: { datetime: '2026-03-02T09:00', timezone: 'Europe/Berlin' },
          recurrence: { rrule: 'FREQ=DAILY', anchor: 'due' }, estimate_minutes: null,
        },
        series: { series_id: TASK_ID, occurrence: 1 },
      },
      context: {
        request_id: null,
        correlation_id: CORRELATION,
        causation_id: events[1]?.event_id,
        // The completion's trace, continued in a span of the reactor's own.
        traceparent: expect.stringMatching(/^00-0af7651916cd43dd8448eb211c80319c-(?!b7ad6b7169203331)[\da-f]{16}-01$/) as string,
        user_email: 'ada@example.com',
      },
    }]);
  });

  it('logs the next occurrence it created under the completion\'s trace id', async () => {
    const events = stream(daily, taskCompleted('2026-03-01T08:30:00.000Z'));
    const setup = reactorOver(events);
    await setup.apply(events);
    expect(setup.logs).toContainEqual(expect.objectContaining({
      msg: 'next occurrence created', level: 30, trace_id: '0af7651916cd43dd8448eb211c80319c', task_id: TASK_ID,
    }));
  });

  it('starts a trace for the next occurrence of a completion that carries none', async () => {
    const events = stream(daily, taskCompleted('2026-03-01T08:30:00.000Z')).map((e) => ({ ...e, metadata: { ...e.metadata, traceparent: null } }));
    const setup = reactorOver(events);
    await setup.apply(events);
    expect(setup.calls[0]?.context.traceparent).toMatch(/^00-[\da-f]{32}-[\da-f]{16}-00$/);
  });

  it('decides on the task as it was at the completion, not as it is now', async () => {
    const events = stream(daily, taskCompleted('2026-03-01T08:30:00.000Z'), taskUpdated({ title: 'Renamed later' }, '2026-03-01T10:00:00.000Z'), taskDeleted('2026-03-01T11:00:00.000Z'));
    const setup = reactorOver(events);
    await setup.apply(completion(events));
    expect(setup.calls).toHaveLength(1);
    expect(setup.calls[0]?.command).toMatchObject({ fields: { title: 'Buy milk' } });
  });

  it('asks for the same next task again when a task is completed, reopened and completed', async () => {
    const events = stream(daily, taskCompleted('2026-03-01T08:30:00.000Z'), taskReopened('2026-03-01T08:40:00.000Z'), taskCompleted('2026-03-01T08:50:00.000Z'));
    const setup = reactorOver(events);
    await setup.apply(events);
    expect(setup.calls.map((call) => call.command.task_id)).toEqual([occurrenceId(TASK_ID, 1), occurrenceId(TASK_ID, 1)]);
  });

  it('wakes log readers again at its commit when it appended a task, which they could not read before', async () => {
    const events = stream(daily, taskCompleted('2026-03-01T08:30:00.000Z'));
    const created = reactorOver(events);
    await created.apply(events);
    expect(created.statements).toEqual([`SELECT pg_notify('todo_events', '')`]);
    const replayed = reactorOver(events, async (command) => ({ ok: true, value: { task_id: command.task_id, version: 1, position: 500, replayed: true } }));
    await replayed.apply(events);
    expect(replayed.statements).toEqual([]);
  });

  it('ignores every other event, and completions of tasks that do not recur', async () => {
    const events = stream(taskCreated(), taskUpdated({ title: 'x' }), taskCompleted(), taskReopened(), taskDeleted());
    const setup = reactorOver(events);
    await setup.apply(events);
    expect(setup.calls).toEqual([]);
  });

  it('issues nothing when the series has ended, and says so', async () => {
    const events = stream(taskCreated({ due: { date: '2026-03-01' }, recurrence: { rrule: 'FREQ=DAILY;COUNT=1', anchor: 'due' } }), taskCompleted());
    const setup = reactorOver(events);
    await setup.apply(events);
    expect(setup.calls).toEqual([]);
    expect(setup.logs).toContainEqual(expect.objectContaining({ msg: 'recurring series ended: no next occurrence', reason: 'count_reached', task_id: TASK_ID }));
  });

  it('logs and skips a command the write side refuses for good', async () => {
    const events = stream(daily, taskCompleted('2026-03-01T08:30:00.000Z'));
    const setup = reactorOver(events, async (command) => ({ ok: false, error: { code: 'already_exists', task_id: command.task_id } }));
    await expect(setup.apply(events)).resolves.toBeUndefined();
    expect(setup.logs).toContainEqual(expect.objectContaining({
      level: 40, msg: 'next occurrence refused; the series stops here', error: { code: 'already_exists', task_id: occurrenceId(TASK_ID, 1) },
    }));
  });

  it('throws on a version conflict, so the runtime retries the batch', async () => {
    const events = stream(daily, taskCompleted('2026-03-01T08:30:00.000Z'));
    const setup = reactorOver(events, async () => ({ ok: false, error: { code: 'version_conflict', current_version: 1 } }));
    await expect(setup.apply(events)).rejects.toThrow(/version_conflict/);
  });

  it('lets an infrastructure failure propagate, so the runtime retries the batch', async () => {
    const events = stream(daily, taskCompleted('2026-03-01T08:30:00.000Z'));
    const setup = reactorOver(events, () => Promise.reject(Object.assign(new Error('Connection terminated'), { code: '57P01' })));
    await expect(setup.apply(events)).rejects.toThrow('Connection terminated');
  });

  it('acts for the task\'s owner, whoever completed it', async () => {
    const events = stream(taskCreated({ due: { date: '2026-03-01' }, recurrence: { rrule: 'FREQ=DAILY', anchor: 'due' } }, { user_id: OTHER_USER }), taskCompleted());
    const setup = reactorOver(events);
    await setup.apply(events);
    expect(setup.calls[0]?.command.user_id).toBe(OTHER_USER);
  });
});

describe('the recurring reactor, however the runtime delivers its events', () => {
  it('asks for the same next tasks whether the events come once, twice, or split across batches', async () => {
    const other = '7a1e2f3c-0000-4000-8000-000000000002';
    const events = [
      ...stream(daily, taskCompleted('2026-03-01T08:30:00.000Z'), taskReopened('2026-03-01T08:40:00.000Z'), taskCompleted('2026-03-01T08:50:00.000Z')),
      ...storedStream([
        taskCreated({ due: { date: '2026-03-01' }, recurrence: { rrule: 'FREQ=WEEKLY', anchor: 'due' } }, { task_id: other }),
        { type: 'TaskCompleted', data: { task_id: other, completed_at: '2026-03-01T09:00:00.000Z' } },
      ], { streamId: other, firstPosition: 200 }),
    ];
    const silent = pino({ level: 'silent' });
    await projectionSpec(reactorSubject(({ log, commands }) => createRecurringReactor({ log, commands, logger: silent })))
      .given(events)
      .thenRows((commands) => {
        expect(commands.map((command) => command.task_id)).toEqual([occurrenceId(TASK_ID, 1), occurrenceId(other, 1)]);
        expect(commands[1]).toMatchObject({ type: 'CreateTask', fields: { due: { date: '2026-03-08' } }, series: { series_id: other, occurrence: 1 } });
      });
  });
});
