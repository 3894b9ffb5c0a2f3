import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listenFor, type Notifications } from '../../../app/notifications.ts';
import { createProjectionWaiter, type ProjectionWaiter } from '../../../read-api/consistency/wait-for-projection.ts';
import { startTestSystem, type TestSystem } from '../../../test/support/test-system.ts';
import { PROJECTION_CHANNEL } from '../../runtime/projection-state.sql.ts';
import { occurrenceId } from './occurrence-id.ts';
import { createRecurringReactor } from './recurring.reactor.ts';
import { applyBatch } from '../../runtime/apply-batch.ts';
import { PROJECTIONS } from '../../../contracts/projection-names.ts';

/*
 * The recurring reactor in the running system: completions over HTTP, the next task in the task list,
 * redelivery, and the occurrences preview. The clock is fixed, so every completion happens at NOW.
 */

const NOW = new Date('2026-03-05T07:00:00.000Z'); // 08:00 in Berlin
const silent = pino({ level: 'silent' });

let t: TestSystem;
let progress: Notifications;
let waiter: ProjectionWaiter;

beforeAll(async () => {
  t = await startTestSystem({ clock: () => NOW });
  const db = t.system.database.db;
  progress = await listenFor(db.url, PROJECTION_CHANNEL, silent);
  waiter = createProjectionWaiter({ db, log: t.system.store, onProgress: (wake) => progress.subscribe(wake), timeoutMs: 10_000 });
});
afterAll(async () => { await progress.close(); });

interface Accepted { task_id: string; version: number; position: number }
interface TaskBody { id: string; title: string; status: string; due: unknown; series_id: string | null; tags: string[]; recurrence: unknown; reminders: unknown }

async function command(method: string, path: string, body?: unknown, user = 'alice'): Promise<Accepted> {
  const response = await t.call(method, path, { user, ...(body === undefined ? {} : { body }) });
  expect(response.status, response.text).toBeLessThan(300);
  return response.body as Accepted;
}

const create = (body: Record<string, unknown>, user = 'alice') => command('POST', '/api/tasks', body, user);
const complete = (id: string, user = 'alice') => command('POST', `/api/tasks/${id}/complete`, undefined, user);

/**
 * Waits for the recurring reactor to have taken in the event at `position` (signalled by its progress
 * NOTIFY), then answers the position of the next task's creation, or null when it made none.
 */
async function nextTaskCreated(position: number, seriesId: string, occurrence = 1): Promise<number | null> {
  expect(await waiter.waitFor(PROJECTIONS.recurring, position)).toBe(true);
  const created = await t.system.store.readStream(occurrenceId(seriesId, occurrence), { toVersion: 1 });
  return created[0]?.position ?? null;
}

async function seriesTasks(seriesId: string, minPosition: number, user = 'alice'): Promise<TaskBody[]> {
  const list = await t.call('GET', `/api/tasks?min_position=${minPosition}&limit=200`, { user });
  expect(list.status).toBe(200);
  return (list.body as { items: TaskBody[] }).items.filter((task) => task.series_id === seriesId);
}

const creationsInSeries = async (seriesId: string): Promise<number> => Number((await t.system.database.db.query<{ n: string }>(
  `SELECT count(*) AS n FROM events WHERE type = 'TaskCreated' AND data->>'series_id' = $1`, [seriesId])).rows[0]?.n);

const dailyAtNine = {
  title: 'Water the plants',
  description: 'the ferns too',
  priority: 'high',
  tags: ['home'],
  due: { datetime: '2026-03-05T09:00', timezone: 'Europe/Berlin' },
  reminders: [{ before_minutes: 15, channels: ['email'] }],
  recurrence: { rrule: 'FREQ=DAILY', anchor: 'due' },
};

describe('completing a recurring task', () => {
  it('creates the next occurrence, listed in GET /api/tasks with series_id linking it to the first', async () => {
    const first = await create(dailyAtNine);
    const completed = await complete(first.task_id);
    const position = await nextTaskCreated(completed.position, first.task_id);
    expect(position).not.toBeNull();

    const [next, ...others] = await seriesTasks(first.task_id, position ?? 0);
    expect(others).toEqual([]);
    expect(next).toMatchObject({
      id: occurrenceId(first.task_id, 1),
      series_id: first.task_id,
      status: 'open',
      title: 'Water the plants',
      tags: ['home'],
      due: { datetime: '2026-03-06T09:00', timezone: 'Europe/Berlin' },
      reminders: [{ before_minutes: 15, channels: ['email'] }],
      recurrence: { rrule: 'FREQ=DAILY', anchor: 'due' },
    });
  });

  it('records the completion as the cause of the next task, in the same correlation', async () => {
    const first = await create(dailyAtNine);
    const completed = await complete(first.task_id);
    await nextTaskCreated(completed.position, first.task_id);
    const [completion] = (await t.system.store.readStream(first.task_id)).filter((e) => e.type === 'TaskCompleted');
    const [creation] = await t.system.store.readStream(occurrenceId(first.task_id, 1));
    expect(creation?.metadata).toMatchObject({ user_id: 'alice', causation_id: completion?.event_id, correlation_id: completion?.metadata.correlation_id });
  });

  it('continues the series from the next task: occurrence 2 keeps the first task\'s id as series id', async () => {
    const first = await create(dailyAtNine);
    const secondId = occurrenceId(first.task_id, 1);
    await nextTaskCreated((await complete(first.task_id)).position, first.task_id);
    const position = await nextTaskCreated((await complete(secondId)).position, first.task_id, 2);
    const tasks = await seriesTasks(first.task_id, position ?? 0);
    expect(tasks.map((task) => [task.id, task.status, task.due])).toEqual(expect.arrayContaining([
      [secondId, 'completed', { datetime: '2026-03-06T09:00', timezone: 'Europe/Berlin' }],
      [occurrenceId(first.task_id, 2), 'open', { datetime: '2026-03-07T09:00', timezone: 'Europe/Berlin' }],
    ]));
  });

  it('makes nothing for a task that does not recur, or whose series has ended', async () => {
    const plain = await create({ title: 'Once', due: { date: '2026-03-05' } });
    expect(await nextTaskCreated((await complete(plain.task_id)).position, plain.task_id)).toBeNull();
    const single = await create({ title: 'Once only', due: { date: '2026-03-05' }, recurrence: { rrule: 'FREQ=DAILY;COUNT=1', anchor: 'due' } });
    expect(await nextTaskCreated((await complete(single.task_id)).position, single.task_id)).toBeNull();
  });
});

describe('a completion delivered more than once', () => {
  it('creates exactly one next occurrence when the same TaskCompleted batch is applied again', async () => {
    const first = await create(dailyAtNine);
    const completed = await complete(first.task_id);
    await nextTaskCreated(completed.position, first.task_id);
    const batch = (await t.system.store.readStream(first.task_id)).filter((e) => e.type === 'TaskCompleted');

    // A second instance of the reactor, handed the batch the running one has already applied, twice.
    const redelivery = createRecurringReactor({ log: t.system.store, commands: t.system.commands, logger: silent });
    await applyBatch(t.system.database.db, redelivery, batch, null);
    await applyBatch(t.system.database.db, redelivery, batch, null);

    expect(await creationsInSeries(first.task_id)).toBe(1);
    expect(await t.system.store.readStream(occurrenceId(first.task_id, 1))).toHaveLength(1);
  });

  it('creates exactly one next occurrence for complete → reopen → complete', async () => {
    const first = await create(dailyAtNine);
    await nextTaskCreated((await complete(first.task_id)).position, first.task_id);
    await command('POST', `/api/tasks/${first.task_id}/reopen`);
    const again = await complete(first.task_id);
    const position = await nextTaskCreated(again.position, first.task_id);

    expect(await creationsInSeries(first.task_id)).toBe(1);
    expect(await seriesTasks(first.task_id, position ?? 0)).toHaveLength(1);
  });

  it('logs and skips a next task the write side refuses, and goes on with other series', async () => {
    const blocked = await create(dailyAtNine);
    // Another user already holds the id the next occurrence would get: the creation is refused for good.
    await create({ id: occurrenceId(blocked.task_id, 1), title: 'Squatter' }, 'mallory');
    const completed = await complete(blocked.task_id);
    expect(await waiter.waitFor(PROJECTIONS.recurring, completed.position)).toBe(true);
    const held = await t.system.store.readStream(occurrenceId(blocked.task_id, 1));
    expect(held.map((e) => [e.type, e.metadata.user_id])).toEqual([['TaskCreated', 'mallory']]);
    expect(await seriesTasks(blocked.task_id, completed.position)).toEqual([]);
    expect(t.logs).toContainEqual(expect.objectContaining({
      level: 'warn', msg: 'next occurrence refused; the series stops here', task_id: blocked.task_id,
    }));

    const other = await create(dailyAtNine);
    expect(await nextTaskCreated((await complete(other.task_id)).position, other.task_id)).not.toBeNull();
    const dead = await t.system.database.db.query(`SELECT 1 FROM projection_dead_letters WHERE projection = $1`, [PROJECTIONS.recurring]);
    expect(dead.rowCount).toBe(0);
  });
});

describe('GET /api/tasks/{id}/occurrences', () => {
  async function preview(id: string, query: string, minPosition: number, user = 'alice') {
    return t.call('GET', `/api/tasks/${id}/occurrences?min_position=${minPosition}${query}`, { user });
  }

  it('previews the next dues in the task\'s zone, with the instants they mean', async () => {
    const task = await create(dailyAtNine);
    const response = await preview(task.task_id, '&count=3', task.position);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      task_id: task.task_id,
      series_id: task.task_id,
      occurrences: [
        { occurrence: 1, due: { datetime: '2026-03-06T09:00', timezone: 'Europe/Berlin' }, due_at: '2026-03-06T08:00:00.000Z' },
        { occurrence: 2, due: { datetime: '2026-03-07T09:00', timezone: 'Europe/Berlin' }, due_at: '2026-03-07T08:00:00.000Z' },
        { occurrence: 3, due: { datetime: '2026-03-08T09:00', timezone: 'Europe/Berlin' }, due_at: '2026-03-08T08:00:00.000Z' },
      ],
    });
  });

  it('shows 09:00 staying 09:00 across New York\'s spring-forward, and a non-existent 02:30 falling due at 03:30', async () => {
    const nine = await create({ title: 'Stand-up', due: { datetime: '2026-03-07T09:00', timezone: 'America/New_York' }, recurrence: { rrule: 'FREQ=DAILY', anchor: 'due' } });
    const body = (await preview(nine.task_id, '&count=2', nine.position)).body as { occurrences: Array<{ due: unknown; due_at: string }> };
    expect(body.occurrences.map((o) => o.due_at)).toEqual(['2026-03-08T13:00:00.000Z', '2026-03-09T13:00:00.000Z']);

    const early = await create({ title: 'Night shift', due: { datetime: '2026-03-07T02:30', timezone: 'America/New_York' }, recurrence: { rrule: 'FREQ=DAILY', anchor: 'due' } });
    const gap = (await preview(early.task_id, '&count=1', early.position)).body as { occurrences: Array<{ due: unknown; due_at: string }> };
    expect(gap.occurrences).toEqual([{ occurrence: 1, due: { datetime: '2026-03-08T02:30', timezone: 'America/New_York' }, due_at: '2026-03-08T07:30:00.000Z' }]);
  });

  it('skips an overdue series past now, as completing it now would', async () => {
    const task = await create({ title: 'Pay rent', due: { date: '2026-01-31' }, recurrence: { rrule: 'FREQ=MONTHLY;BYMONTHDAY=-1', anchor: 'due' } });
    const body = (await preview(task.task_id, '&count=3', task.position)).body as { occurrences: Array<{ due: unknown }> };
    expect(body.occurrences.map((o) => o.due)).toEqual([{ date: '2026-03-31' }, { date: '2026-04-30' }, { date: '2026-05-31' }]);
  });

  it('stops at COUNT, and answers ten by default', async () => {
    const counted = await create({ title: 'Three times', due: { date: '2026-03-05' }, recurrence: { rrule: 'FREQ=DAILY;COUNT=3', anchor: 'due' } });
    expect(((await preview(counted.task_id, '&count=10', counted.position)).body as { occurrences: unknown[] }).occurrences).toHaveLength(2);
    const endless = await create(dailyAtNine);
    expect(((await preview(endless.task_id, '', endless.position)).body as { occurrences: unknown[] }).occurrences).toHaveLength(10);
  });

  it('starts a completed task\'s preview with the next task already made from its completion', async () => {
    const task = await create(dailyAtNine);
    const completed = await complete(task.task_id);
    const body = (await preview(task.task_id, '&count=1', completed.position)).body as { occurrences: unknown[] };
    expect(body.occurrences).toEqual([{ occurrence: 1, due: { datetime: '2026-03-06T09:00', timezone: 'Europe/Berlin' }, due_at: '2026-03-06T08:00:00.000Z' }]);
  });

  it('previews an unsaved schedule given beside the task: a rule, its anchor and a due, zoned, dated or none', async () => {
    const once = await create({ title: 'Once', due: { date: '2026-03-05' } });
    const weekly = new URLSearchParams({ count: '3', rrule: 'FREQ=WEEKLY;BYDAY=MO,FR', anchor: 'due', due_datetime: '2026-03-06T09:00', due_timezone: 'Europe/Berlin' });
    const zoned = await preview(once.task_id, `&${weekly.toString()}`, once.position);
    expect(zoned.status, zoned.text).toBe(200);
    expect(zoned.body).toEqual({
      task_id: once.task_id,
      series_id: once.task_id,
      occurrences: [
        { occurrence: 1, due: { datetime: '2026-03-09T09:00', timezone: 'Europe/Berlin' }, due_at: '2026-03-09T08:00:00.000Z' },
        { occurrence: 2, due: { datetime: '2026-03-13T09:00', timezone: 'Europe/Berlin' }, due_at: '2026-03-13T08:00:00.000Z' },
        { occurrence: 3, due: { datetime: '2026-03-16T09:00', timezone: 'Europe/Berlin' }, due_at: '2026-03-16T08:00:00.000Z' },
      ],
    });

    const recurring = await create(dailyAtNine);
    const everyOther = new URLSearchParams({ count: '2', rrule: 'FREQ=DAILY;INTERVAL=2', due_date: '2026-03-05' });
    const dated = (await preview(recurring.task_id, `&${everyOther.toString()}`, recurring.position)).body as { occurrences: Array<{ due: unknown }> };
    expect(dated.occurrences.map((o) => o.due)).toEqual([{ date: '2026-03-07' }, { date: '2026-03-09' }]);

    const fromCompletion = new URLSearchParams({ count: '2', rrule: 'FREQ=DAILY', anchor: 'completion' });
    const undated = (await preview(recurring.task_id, `&${fromCompletion.toString()}`, recurring.position)).body as { occurrences: Array<{ due: unknown }> };
    expect(undated.occurrences.map((o) => o.due)).toEqual([{ date: '2026-03-06' }, { date: '2026-03-07' }]);
  });

  it('refuses an unsaved schedule that saving would refuse, with 400 problem+json naming each parameter', async () => {
    const task = await create(dailyAtNine);
    const cases: Array<[Record<string, string>, string]> = [
      [{ rrule: 'FREQ=SOMETIMES' }, 'query.rrule'],
      [{ rrule: 'FREQ=DAILY', anchor: 'due' }, 'query.anchor'],
      [{ rrule: 'FREQ=DAILY', due_date: '2026-02-30' }, 'query.due_date'],
      [{ rrule: 'FREQ=DAILY', due_date: '2026-03-05', due_timezone: 'Europe/Berlin' }, 'query.due_date'],
      [{ rrule: 'FREQ=DAILY', due_datetime: '2026-03-05T09:00' }, 'query.due_timezone'],
      [{ rrule: 'FREQ=DAILY', due_datetime: '2026-03-05T09:00', due_timezone: 'Mars/Olympus' }, 'query.due_timezone'],
      [{ rrule: 'FREQ=DAILY', due_datetime: '2026-03-05 9am', due_timezone: 'Europe/Berlin' }, 'query.due_datetime'],
      [{ anchor: 'completion' }, 'query.anchor'],
      [{ rrule: 'FREQ=DAILY', anchor: 'whenever' }, 'query.anchor'],
    ];
    for (const [parameters, path] of cases) {
      const response = await preview(task.task_id, `&${new URLSearchParams(parameters).toString()}`, task.position);
      expect(response.status, JSON.stringify(parameters)).toBe(400);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      expect((response.body as { errors: Array<{ path: string }> }).errors.map((e) => e.path), JSON.stringify(parameters)).toContain(path);
    }
  });

  it('answers an empty list for a task that does not recur', async () => {
    const task = await create({ title: 'Once', due: { date: '2026-03-05' } });
    const response = await preview(task.task_id, '', task.position);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ task_id: task.task_id, series_id: null, occurrences: [] });
  });

  it('answers 404 for another user\'s task, a missing one and a deleted one', async () => {
    const task = await create(dailyAtNine);
    expect((await preview(task.task_id, '', task.position, 'bob')).status).toBe(404);
    expect((await preview(randomUUID(), '', task.position)).status).toBe(404);
    const deleted = await command('DELETE', `/api/tasks/${task.task_id}`);
    const response = await preview(task.task_id, '', deleted.position);
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
  });

  it('answers 400 for a count out of 1..100, an unknown parameter or a bad id', async () => {
    const task = await create(dailyAtNine);
    for (const query of ['&count=0', '&count=101', '&count=two', '&count=1.5', '&limit=3']) {
      const response = await preview(task.task_id, query, task.position);
      expect(response.status, query).toBe(400);
      expect((response.body as { errors: Array<{ path: string }> }).errors[0]?.path).toMatch(/^query/);
    }
    expect((await t.call('GET', '/api/tasks/not-a-uuid/occurrences')).status).toBe(400);
  });
});
