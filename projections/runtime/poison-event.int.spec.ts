import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APPENDS_CHANNEL } from '../../contracts/ports/event-log.ts';
import type { TaskFields } from '../../domain/task/types.ts';
import { testDatabase, type TestDatabase } from '../../test/support/test-database.ts';
import { projectionHarness, recordingObserver, type Harness, type ObservedProjection } from '../../test/support/projection-harness.ts';
import { createNotificationProjection } from '../read-models/notification/notification.projection.ts';
import { createTaskViewProjection } from '../read-models/task-view/task-view.projection.ts';
import { listDeadLetters, skipDeadLetters, type DeadLetter } from './dead-letters.sql.ts';
import type { ReadModelProjection } from './projector.ts';
import { rebuildProjection, RebuildStopped } from './rebuild-projection.ts';
import { retryDeadLetters } from './retry-dead-letters.ts';

/*
 * A poison event — one a read model cannot store, appended before the write side refused such values, so
 * written here straight into the store — meets one policy wherever it is applied: the live projector and a
 * rebuild stop at the same event with the same dead letter, and every way an operator resolves it (skip,
 * or retry after the owner fixed or deleted the task) ends with the projection complete and rebuildable.
 */

let t: TestDatabase;
let h: Harness;
let taskView: ReadModelProjection;
let notification: ReadModelProjection;
beforeAll(async () => {
  t = await testDatabase();
  h = await projectionHarness(t.db, t.url);
  taskView = createTaskViewProjection(h.store);
  notification = createNotificationProjection(h.store);
});
afterAll(() => h.close());

const context = { request_id: null, correlation_id: null, causation_id: null, traceparent: null };
const UNSTORABLE_DUE = { date: '0000-01-01' };

async function create(title: string, fields: Partial<TaskFields> = {}): Promise<string> {
  const taskId = randomUUID();
  const result = await h.commands.handle({ type: 'CreateTask', task_id: taskId, user_id: 'alice', fields: { title, ...fields } }, context);
  if (!result.ok) throw new Error(`not created: ${JSON.stringify(result.error)}`);
  return taskId;
}

async function update(taskId: string, changes: Partial<TaskFields>): Promise<void> {
  const result = await h.commands.handle({ type: 'UpdateTask', task_id: taskId, user_id: 'alice', changes }, context);
  if (!result.ok) throw new Error(`not updated: ${JSON.stringify(result.error)}`);
}

/** Appends an event as an old log would hold it, bypassing the decider, and announces it. */
async function appendLegacy(taskId: string, version: number, type: string, data: Record<string, unknown>): Promise<void> {
  if (version === 1) await t.db.query('INSERT INTO streams (stream_id, version) VALUES ($1, 1)', [taskId]);
  else await t.db.query('UPDATE streams SET version = $2 WHERE stream_id = $1', [taskId, version]);
  await t.db.query(
    `INSERT INTO events (event_id, stream_id, version, type, schema_version, data, metadata)
     VALUES (gen_random_uuid(), $1, $2, $3, $4, $5::jsonb,
             jsonb_build_object('user_id', 'alice', 'correlation_id', gen_random_uuid(), 'causation_id', NULL,
               'traceparent', NULL, 'idempotency_key', NULL, 'request_id', NULL))`,
    [taskId, version, type, type === 'TaskCreated' ? 2 : 1, JSON.stringify(data)],
  );
  await t.db.query(`SELECT pg_notify('${APPENDS_CHANNEL}', '')`);
}

const legacyUpdate = (taskId: string, version: number, changes: Record<string, unknown>) =>
  appendLegacy(taskId, version, 'TaskUpdated', { task_id: taskId, changes, updated_at: new Date().toISOString() });

async function until(condition: () => boolean | Promise<boolean>): Promise<void> {
  for (let i = 0; i < 1000 && !(await condition()); i++) await new Promise((resolve) => setTimeout(resolve, 20));
  expect(await condition()).toBe(true);
}

const stopped = (observer: ObservedProjection) => until(() => observer.events.some((e) => e.kind === 'stopped'));

async function openLetter(projection: string, taskId: string): Promise<DeadLetter> {
  const letter = (await listDeadLetters(t.db, projection)).find((d) => d.stream_id === taskId);
  if (!letter) throw new Error(`no open dead letter of ${projection} for ${taskId}`);
  return letter;
}

const taskRows = async () =>
  (await t.db.query('SELECT task_id, title, status, due, due_at, deleted_at, version, position FROM task_view ORDER BY task_id')).rows;
const taskRow = async (taskId: string) => (await taskRows()).find((row) => row['task_id'] === taskId);
const armedReminders = async (taskId: string) =>
  (await t.db.query<{ fire_at: Date }>("SELECT fire_at FROM notification_schedule WHERE task_id = $1 AND state = 'armed'", [taskId])).rows
    .map((row) => row.fire_at.toISOString());

describe('a poison event', () => {
  it('stops the live projector and a rebuild at the same event with one dead letter; skipped, both complete and agree', async () => {
    await create('fine');
    const poisoned = await create('poisoned', { due: { date: '2026-05-01' } });
    await legacyUpdate(poisoned, 2, { due: UNSTORABLE_DUE });
    const observer = recordingObserver();
    const live = await h.run(taskView, { observer, maxAttempts: 2 });
    await stopped(observer);
    const letter = await openLetter('task-view', poisoned);
    expect(letter).toMatchObject({ version: 2, type: 'TaskUpdated' });

    const rebuild = rebuildProjection(t.db, h.store, taskView);
    await expect(rebuild).rejects.toBeInstanceOf(RebuildStopped);
    await expect(rebuild).rejects.toMatchObject({ deadLetterId: letter.id, event: { stream_id: poisoned, version: 2 } });
    expect((await listDeadLetters(t.db, 'task-view')).map((d) => d.id)).toEqual([letter.id]);

    expect(await skipDeadLetters(t.db, [letter.id])).toEqual([expect.objectContaining({ id: letter.id, projection: 'task-view' })]);
    await live.caughtUp();
    const liveRows = await taskRows();
    expect(await taskRow(poisoned)).toMatchObject({ version: 1, due: { date: '2026-05-01' } });

    await rebuildProjection(t.db, h.store, taskView);
    expect(await taskRows()).toEqual(liveRows);
    expect(await listDeadLetters(t.db)).toEqual([]);
    await live.stop();
  });

  it('is applied by a retry from the dead-lettered event on once the owner fixed the task, in every read model', async () => {
    const reminders = [{ before_minutes: 60, channels: ['email' as const] }];
    const taskId = await create('fix me', { due: { datetime: '2026-09-01T09:00', timezone: 'UTC' }, reminders });
    await legacyUpdate(taskId, 2, { due: UNSTORABLE_DUE, title: 'renamed by the old log' });
    const observers = { taskView: recordingObserver(), notification: recordingObserver() };
    const runtimes = [await h.run(taskView, { observer: observers.taskView, maxAttempts: 2 }), await h.run(notification, { observer: observers.notification, maxAttempts: 2 })];
    await stopped(observers.taskView);
    await stopped(observers.notification);
    const letters = [await openLetter('task-view', taskId), await openLetter('notification', taskId)];
    expect(letters.map((d) => d.version)).toEqual([2, 2]);

    // The rules judge the whole task: the owner's next change must fix the due.
    await update(taskId, { due: { datetime: '2027-10-01T09:00', timezone: 'UTC' } });
    expect((await retryDeadLetters(t.db, h.store, taskView)).map((o) => [o.ok, o.resolution])).toEqual([[true, 'replayed']]);
    expect((await retryDeadLetters(t.db, h.store, notification)).map((o) => [o.ok, o.resolution])).toEqual([[true, 'replayed']]);
    expect(await taskRow(taskId)).toMatchObject({ version: 3, title: 'renamed by the old log', due: { datetime: '2027-10-01T09:00', timezone: 'UTC' } });
    expect(await armedReminders(taskId)).toEqual(['2027-10-01T08:00:00.000Z']);

    for (const runtime of runtimes) await runtime.caughtUp();
    expect(await listDeadLetters(t.db)).toEqual([]);
    expect(await taskRow(taskId)).toMatchObject({ version: 3 });

    // A rebuild whose batch ends at the replayed event applies it as the retry did, with the rest of its stream.
    const [, poison] = await h.store.readStream(taskId);
    const upToPoison = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM events WHERE (transaction_id, position) <= ($1::xid8, $2)',
      [poison?.transaction_id, poison?.position]);
    const schedule = await armedReminders(taskId);
    await rebuildProjection(t.db, h.store, notification, { batchSize: upToPoison.rows[0]?.n ?? 1 });
    expect(await armedReminders(taskId)).toEqual(schedule);
    expect(await listDeadLetters(t.db)).toEqual([]);
    for (const runtime of runtimes) await runtime.stop();
  });

  it('is resolved by a retry once the owner deleted the task: the task is gone from the read model, live and rebuilt', async () => {
    const taskId = await create('delete me', { due: { date: '2026-05-01' } });
    await legacyUpdate(taskId, 2, { due: UNSTORABLE_DUE });
    const observer = recordingObserver();
    const live = await h.run(taskView, { observer, maxAttempts: 2 });
    await stopped(observer);
    await openLetter('task-view', taskId);

    const deleted = await h.commands.handle({ type: 'DeleteTask', task_id: taskId, user_id: 'alice' }, context);
    expect(deleted.ok).toBe(true);
    expect((await retryDeadLetters(t.db, h.store, taskView)).map((o) => [o.ok, o.resolution])).toEqual([[true, 'skipped']]);
    await live.caughtUp();
    expect(await listDeadLetters(t.db)).toEqual([]);
    expect(await taskRow(taskId)).toBeUndefined();

    const liveRows = await taskRows();
    await rebuildProjection(t.db, h.store, taskView);
    expect(await taskRows()).toEqual(liveRows);
    await live.stop();
  });

  it('in the creation of a task, once skipped, does not swallow the later changes: the owner\'s fix brings the task in', async () => {
    const template = await create('template');
    const [created] = await h.store.readStream(template);
    const taskId = randomUUID();
    await appendLegacy(taskId, 1, 'TaskCreated', { ...(created?.data as Record<string, unknown>), task_id: taskId, title: 'created by the old log', due: UNSTORABLE_DUE });
    const observer = recordingObserver();
    const live = await h.run(taskView, { observer, maxAttempts: 2 });
    await stopped(observer);
    const letter = await openLetter('task-view', taskId);
    expect(letter).toMatchObject({ version: 1, type: 'TaskCreated' });
    await skipDeadLetters(t.db, [letter.id]);
    await live.caughtUp();
    expect(await taskRow(taskId)).toBeUndefined();

    await update(taskId, { due: { date: '2026-07-01' } });
    await live.caughtUp();
    expect(await taskRow(taskId)).toMatchObject({ version: 2, title: 'created by the old log', status: 'open', due: { date: '2026-07-01' } });
    await h.commands.handle({ type: 'CompleteTask', task_id: taskId, user_id: 'alice' }, context);
    await live.caughtUp();
    expect(await taskRow(taskId)).toMatchObject({ version: 3, status: 'completed' });

    const liveRows = await taskRows();
    await rebuildProjection(t.db, h.store, taskView);
    expect(await taskRows()).toEqual(liveRows);
    expect(await listDeadLetters(t.db)).toEqual([]);
    await live.stop();
  });
});
