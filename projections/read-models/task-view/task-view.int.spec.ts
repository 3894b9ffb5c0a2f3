import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOG_START } from '../../../contracts/events/stored-event.ts';
import { testDatabase, type TestDatabase } from '../../../test/support/test-database.ts';
import { projectionHarness, type Harness } from '../../../test/support/projection-harness.ts';
import { projectionSpec, readModelSubject } from '../../testing/projection-spec.ts';
import { createTaskViewProjection } from './task-view.projection.ts';
import { rowToTask, TASK_ROW_COLUMNS, type TaskRow } from '../../../contracts/read-models/task-view-row.ts';
import { toTaskView } from '../../../contracts/task-response.ts';

let t: TestDatabase;
let h: Harness;
beforeAll(async () => { t = await testDatabase(); h = await projectionHarness(t.db, t.url); });
afterAll(() => h.close());

const context = { request_id: null, correlation_id: null, causation_id: null, traceparent: null };
const rows = async (table: string) =>
  (await t.db.query(`SELECT task_id, user_id, title, status, priority, tags, due, due_at, overdue_at, deleted_at, version, position FROM ${table} ORDER BY task_id`)).rows;

describe('the task-view projection', () => {
  it('is unchanged when the same events arrive twice, in one batch or split', async () => {
    const a = randomUUID();
    const b = randomUUID();
    await h.commands.handle({ type: 'CreateTask', task_id: a, user_id: 'alice', fields: { title: 'A', tags: ['x'], due: { date: '2026-12-01' } } }, context);
    await h.commands.handle({ type: 'UpdateTask', task_id: a, user_id: 'alice', changes: { priority: 'high' } }, context);
    await h.commands.handle({ type: 'CreateTask', task_id: b, user_id: 'bob', fields: { title: 'B', due: { datetime: '2026-07-01T09:00', timezone: 'Europe/Berlin' } } }, context);
    await h.commands.handle({ type: 'CompleteTask', task_id: a, user_id: 'alice' }, context);
    await h.commands.handle({ type: 'DeleteTask', task_id: b, user_id: 'bob' }, context);
    const events = await h.store.readLogAfter(LOG_START, 1000);

    // Once, twice, split at every place, and one event at a time followed by parts of the batch again.
    await projectionSpec(readModelSubject(t.db, createTaskViewProjection(h.store), (_db, table) => rows(table))).given(events).thenRows((once) => {
      const byId = new Map(once.map((row) => [row['task_id'], row]));
      expect(byId.get(a)).toMatchObject({ status: 'completed', priority: 'high', tags: ['x'], version: 3, deleted_at: null,
        due: { date: '2026-12-01' }, due_at: new Date('2026-12-01T00:00:00Z'), overdue_at: new Date('2026-12-02T00:00:00Z') });
      expect(byId.get(b)).toMatchObject({ status: 'open', version: 2, due_at: new Date('2026-07-01T07:00:00Z') });
      expect(byId.get(b)?.['deleted_at']).toBeInstanceOf(Date);
    });
  });
});

describe('the stored public JSON of a task', () => {
  const bodies = async (table: string) =>
    (await t.db.query<TaskRow & { body: string }>(`SELECT ${TASK_ROW_COLUMNS}, body FROM ${table} ORDER BY task_id`)).rows;

  it('is the task as its row holds it, and the same text whichever way the row was written', async () => {
    const id = randomUUID();
    await h.commands.handle({ type: 'CreateTask', task_id: id, user_id: 'carol', fields: {
      title: 'Taxes', description: 'with "quotes" and ünïcode', tags: ['home', 'money'], estimate_minutes: 30,
      due: { datetime: '2026-07-01T09:00', timezone: 'Europe/Berlin' },
      reminders: [{ before_minutes: 15, channels: ['push', 'email'] }, { at: '2026-06-30T08:00:00+02:00', channels: ['email'] }],
      recurrence: { rrule: 'FREQ=WEEKLY;BYDAY=MO', anchor: 'due' },
    } }, context);
    // Changes the title alone: the batch after the creation starts from the row, whose jsonb orders keys its own way.
    await h.commands.handle({ type: 'UpdateTask', task_id: id, user_id: 'carol', changes: { title: 'Taxes 2026' } }, context);
    await h.commands.handle({ type: 'CompleteTask', task_id: id, user_id: 'carol' }, context);
    const events = (await h.store.readLogAfter(LOG_START, 1000)).filter((event) => event.stream_id === id);
    const projection = createTaskViewProjection(h.store);

    const [applied] = await projectionSpec(readModelSubject(t.db, projection, (_db, table) => bodies(table))).given(events).thenRows((rows) => {
      const [row] = rows;
      expect(rows).toHaveLength(1);
      expect(JSON.parse(row?.body ?? '')).toEqual(row && toTaskView(rowToTask(row)));
    });

    const rebuilt = 'task_view_spec_whole_tasks';
    await t.db.transaction(async (tx) => {
      await projection.table.create(tx, rebuilt);
      await projection.table.load?.(tx, events, rebuilt);
    });
    const [loaded] = await bodies(rebuilt);
    expect(loaded?.body).toBe(applied?.body);
    expect(applied?.body).toBe(JSON.stringify(applied && toTaskView(rowToTask(applied))).replace(
      '{"channels":["push","email"],"before_minutes":15}', '{"before_minutes":15,"channels":["push","email"]}'));
  });
});
