import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOG_START } from '../../../contracts/events/stored-event.ts';
import { testDatabase, type TestDatabase } from '../../../test/support/test-database.ts';
import { projectionHarness, type Harness } from '../../../test/support/projection-harness.ts';
import { projectionSpec, readModelSubject } from '../../testing/projection-spec.ts';
import { createTaskViewProjection } from './task-view.projection.ts';

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
