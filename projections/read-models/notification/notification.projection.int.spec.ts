import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOG_START, type StoredEvent } from '../../../contracts/events/stored-event.ts';
import { testDatabase, type TestDatabase } from '../../../test/support/test-database.ts';
import { projectionHarness, type Harness } from '../../../test/support/projection-harness.ts';
import type { ReadModelProjection } from '../../runtime/projector.ts';
import { createScheduleTables, taskStateTable } from './schedule-table.sql.ts';
import { createNotificationProjection } from './notification.projection.ts';
import { projectionSpec, readModelSubject } from '../../testing/projection-spec.ts';

let t: TestDatabase;
let h: Harness;
let notificationProjector: ReadModelProjection;
beforeAll(async () => {
  t = await testDatabase();
  h = await projectionHarness(t.db, t.url);
  notificationProjector = createNotificationProjection(h.store);
});
afterAll(() => h.close());

const as = (email: string | null) => ({ request_id: null, correlation_id: null, causation_id: null, traceparent: null, user_email: email });
const schedule = async (table: string, taskId?: string) => (await t.db.query(
  `SELECT task_id, reminder_index, fire_at, user_id, email, title, channels, state, version FROM ${table}
    ${taskId ? 'WHERE task_id = $1' : ''} ORDER BY task_id, reminder_index, fire_at`, taskId ? [taskId] : [])).rows;
const states = async (table: string) => (await t.db.query(`SELECT task_id, email, version FROM ${taskStateTable(table)} ORDER BY task_id`)).rows;

async function project(table: string, events: readonly StoredEvent[]): Promise<void> {
  await t.db.transaction((tx) => notificationProjector.apply(tx, events, table));
}
let tables = 0;
async function freshTable(): Promise<string> {
  const table = `ns_test_${tables += 1}`;
  await t.db.transaction((tx) => createScheduleTables(tx, table));
  return table;
}
async function eventsOf(...taskIds: string[]): Promise<StoredEvent[]> {
  return (await h.store.readLogAfter(LOG_START, 10_000)).filter((e) => taskIds.includes(e.stream_id));
}

const due = { datetime: '2030-06-10T10:00', timezone: 'Europe/Berlin' };

describe('the notification projection', () => {
  it('is unchanged when the same events arrive twice, in one batch or split', async () => {
    const a = randomUUID();
    const b = randomUUID();
    await h.commands.handle({ type: 'CreateTask', task_id: a, user_id: 'ada', fields: { title: 'Dentist', due, reminders: [{ before_minutes: 60, channels: ['email', 'push'] }] } }, as('ada@example.com'));
    await h.commands.handle({ type: 'UpdateTask', task_id: a, user_id: 'ada', changes: { due: { datetime: '2030-06-11T10:00', timezone: 'Europe/Berlin' } } }, as('ada@example.com'));
    await h.commands.handle({ type: 'CreateTask', task_id: b, user_id: 'bob', fields: { title: 'Call', reminders: [{ at: '2030-01-01T08:00:00Z', channels: ['email'] }] } }, as('bob@example.com'));
    await h.commands.handle({ type: 'CompleteTask', task_id: b, user_id: 'bob' }, as('bob@example.com'));
    await h.commands.handle({ type: 'ReopenTask', task_id: b, user_id: 'bob' }, as('bob@example.com'));
    const events = await eventsOf(a, b);

    // Once, twice, split at every place, and one event at a time followed by parts of the batch again:
    // the same schedule and the same kept task states.
    const scheduleAndStates = readModelSubject(t.db, notificationProjector, async (_db, table) => [{ rows: await schedule(table), states: await states(table) }]);
    const [once] = await projectionSpec(scheduleAndStates).given(events).thenRows(() => undefined);
    const rows = once?.rows ?? [];

    expect(rows.filter((r) => r['task_id'] === a).map((r) => [r['fire_at'], r['state'], r['channels']])).toEqual([
      [new Date('2030-06-10T07:00:00Z'), 'superseded', ['email', 'push']],
      [new Date('2030-06-11T07:00:00Z'), 'armed', ['email', 'push']],
    ]);
    expect(rows.find((r) => r['task_id'] === b)).toMatchObject({ state: 'armed', version: 3, user_id: 'bob', email: 'bob@example.com', title: 'Call' });
  });

  it('cancels a task\'s reminders when it is deleted and keeps the address of the latest command that carried one', async () => {
    const task = randomUUID();
    await h.commands.handle({ type: 'CreateTask', task_id: task, user_id: 'ada', fields: { title: 'Taxes', reminders: [{ at: '2030-03-01T09:00:00Z', channels: ['email'] }] } }, as('old@example.com'));
    await h.commands.handle({ type: 'UpdateTask', task_id: task, user_id: 'ada', changes: { title: 'Taxes 2029' } }, as('ada@example.com'));
    await h.commands.handle({ type: 'DeleteTask', task_id: task, user_id: 'ada' }, as(null));
    const table = await freshTable();
    await project(table, await eventsOf(task));
    expect(await schedule(table, task)).toEqual([expect.objectContaining({ state: 'cancelled', email: 'ada@example.com', title: 'Taxes 2029', version: 3 })]);
  });

  it('plans a task that gets its first reminder long after its creation, folding what came before from its stream', async () => {
    const task = randomUUID();
    await h.commands.handle({ type: 'CreateTask', task_id: task, user_id: 'ada', fields: { title: 'Later', due } }, as('ada@example.com'));
    await h.commands.handle({ type: 'UpdateTask', task_id: task, user_id: 'ada', changes: { title: 'Later, with a reminder' } }, as(null));
    await h.commands.handle({ type: 'UpdateTask', task_id: task, user_id: 'ada', changes: { reminders: [{ before_minutes: 30, channels: ['push'] }] } }, as(null));
    const table = await freshTable();
    for (const event of await eventsOf(task)) await project(table, [event]);
    expect(await schedule(table, task)).toEqual([expect.objectContaining({
      fire_at: new Date('2030-06-10T07:30:00Z'), state: 'armed', title: 'Later, with a reminder', email: 'ada@example.com', channels: ['push'], version: 3,
    })]);
  });

  it('keeps a reminded task\'s state only once it changed after its creation, and plans that change from the creation in the log', async () => {
    const task = randomUUID();
    await h.commands.handle({ type: 'CreateTask', task_id: task, user_id: 'ada', fields: { title: 'Dentist', due, reminders: [{ before_minutes: 60, channels: ['email'] }] } }, as('ada@example.com'));
    await h.commands.handle({ type: 'UpdateTask', task_id: task, user_id: 'ada', changes: { title: 'Dentist, 10:00' } }, as(null));
    const [created, updated] = await eventsOf(task);
    const table = await freshTable();
    await project(table, created ? [created] : []);
    expect(await schedule(table, task)).toEqual([expect.objectContaining({ state: 'armed', title: 'Dentist', version: 1 })]);
    expect(await states(table)).toEqual([]);

    await project(table, updated ? [updated] : []);
    expect(await schedule(table, task)).toEqual([expect.objectContaining({ state: 'armed', title: 'Dentist, 10:00', email: 'ada@example.com', version: 2 })]);
    expect(await states(table)).toEqual([{ task_id: task, email: 'ada@example.com', version: 2 }]);
  });

  it('keeps nothing for a task without reminders, and forgets a task\'s rows so that a retry can replay its stream', async () => {
    const plain = randomUUID();
    const reminded = randomUUID();
    await h.commands.handle({ type: 'CreateTask', task_id: plain, user_id: 'ada', fields: { title: 'Plain' } }, as('ada@example.com'));
    await h.commands.handle({ type: 'CreateTask', task_id: reminded, user_id: 'ada', fields: { title: 'Reminded', reminders: [{ at: '2030-03-01T09:00:00Z', channels: ['push'] }] } }, as('ada@example.com'));
    const table = await freshTable();
    const events = await eventsOf(plain, reminded);
    await project(table, events);
    expect(await schedule(table, plain)).toEqual([]);
    const before = await schedule(table, reminded);

    await t.db.transaction((tx) => notificationProjector.forgetStream?.(tx, table, reminded) ?? Promise.resolve());
    expect(await schedule(table, reminded)).toEqual([]);
    await project(table, events);
    expect(await schedule(table, reminded)).toEqual(before);
  });
});
