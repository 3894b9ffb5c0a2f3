import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabase, type TestDatabase } from '../../test/support/test-database.ts';
import { projectionHarness, type Harness } from '../../test/support/projection-harness.ts';
import { projectionPassed } from '../../read-api/consistency/projection-passed.sql.ts';
import { createTaskViewProjection } from '../read-models/task-view/task-view.projection.ts';
import { createAuditProjection } from '../read-models/audit/audit.projection.ts';
import { rebuildProjection } from './rebuild-projection.ts';
import { PROJECTIONS } from '../../contracts/projection-names.ts';

let t: TestDatabase;
let h: Harness;
let taskViewProjection: ReturnType<typeof createTaskViewProjection>;
let auditProjection: ReturnType<typeof createAuditProjection>;
beforeAll(async () => {
  t = await testDatabase();
  h = await projectionHarness(t.db, t.url);
  taskViewProjection = createTaskViewProjection(h.store);
  auditProjection = createAuditProjection(h.store);
});
afterAll(() => h.close());

const context = { request_id: null, correlation_id: null, causation_id: null, traceparent: null };
const rows = async () => (await t.db.query('SELECT * FROM task_view ORDER BY task_id')).rows;

async function handled(result: Promise<{ ok: boolean; value?: { position: number } }>): Promise<number> {
  const outcome = await result;
  if (!outcome.ok || !outcome.value) throw new Error('command failed');
  return outcome.value.position;
}

describe('rebuilding a projection stream by stream', () => {
  it('ends equal to the live projection, with the events appended during the rebuild caught up in log order', async () => {
    const runtime = await h.run(taskViewProjection);
    // Interleaved streams, so log order and stream order differ and streams straddle batches of 7.
    const tasks = Array.from({ length: 12 }, () => randomUUID());
    for (const [i, id] of tasks.entries()) {
      // Every column kind the rebuild writes: text needing escapes, date and zoned dues, reminders, recurrence.
      const due = [{ date: '2026-12-0' + String(1 + (i % 9)) }, { datetime: '2026-03-29T02:30', timezone: 'Europe/Berlin' }, null][i % 3] ?? null;
      await handled(h.commands.handle({
        type: 'CreateTask', task_id: id, user_id: `user-${i % 3}`,
        fields: {
          title: `Task ${i}`,
          description: i % 2 ? `Line one\nline\ttwo \\ "${i}"` : null,
          due,
          reminders: due ? [{ before_minutes: 30, channels: ['email'] }] : [],
          recurrence: i % 3 === 1 ? { rrule: 'FREQ=WEEKLY', anchor: 'due' } : null,
        },
      }, context));
    }
    for (const [i, id] of tasks.entries()) {
      await handled(h.commands.handle({ type: 'UpdateTask', task_id: id, user_id: `user-${i % 3}`, changes: { priority: 'high', tags: [`t${i}`] } }, context));
      if (i % 2 === 0) await handled(h.commands.handle({ type: 'CompleteTask', task_id: id, user_id: `user-${i % 3}` }, context));
    }
    // A stream longer than a batch: the whole-stream load holds it back across batches until it ends.
    for (let n = 0; n < 10; n += 1) {
      await handled(h.commands.handle({ type: 'UpdateTask', task_id: tasks[5] ?? '', user_id: 'user-2', changes: { title: `Renamed ${n}` } }, context));
    }

    // While the bulk phase runs: a new task, and more events on tasks the replay may already have written.
    let during: Promise<number> | null = null;
    const late = randomUUID();
    const report = await rebuildProjection(t.db, h.store, taskViewProjection, {
      batchSize: 7,
      onProgress: () => {
        during ??= (async () => {
          await handled(h.commands.handle({ type: 'CreateTask', task_id: late, user_id: 'user-0', fields: { title: 'Late' } }, context));
          await handled(h.commands.handle({ type: 'ReopenTask', task_id: tasks[0] ?? '', user_id: 'user-0' }, context));
          return handled(h.commands.handle({ type: 'DeleteTask', task_id: tasks[1] ?? '', user_id: 'user-1' }, context));
        })();
      },
    });
    const lastPosition = await (during ?? Promise.resolve(0));
    expect(report).toMatchObject({ from_table: 'task_view_v1', to_table: 'task_view_v2' });

    // The live runtime continues in the new table; once it has passed the last command, the view must hold
    // exactly what folding every stream gives (checked against a fresh log-order replay).
    while (!(await projectionPassed(t.db, h.store, PROJECTIONS.taskView, lastPosition))) await runtime.caughtUp();
    const rebuilt = await rows();
    expect(rebuilt).toHaveLength(13);
    const byId = new Map(rebuilt.map((row) => [row['task_id'], row]));
    expect(byId.get(late)).toMatchObject({ title: 'Late', version: 1 });
    expect(byId.get(tasks[0])).toMatchObject({ status: 'open', version: 4 });
    expect(byId.get(tasks[1])?.['deleted_at']).toBeInstanceOf(Date);

    expect(byId.get(tasks[5])).toMatchObject({ title: 'Renamed 9', version: 12 });

    // The same log replayed stream by stream through `apply` (no whole-stream load), then in log order.
    const { table } = taskViewProjection;
    if (!table) throw new Error('task-view keeps a table');
    const { replay, load, ...inLogOrder } = table;
    expect(replay).toBe('by-stream');
    expect(load).toBeTypeOf('function');
    const byStreamApplied = await rebuildProjection(t.db, h.store, { ...taskViewProjection, table: { ...inLogOrder, replay } }, { batchSize: 4 });
    expect(byStreamApplied.to_table).toBe('task_view_v3');
    expect(await rows()).toEqual(rebuilt);
    const again = await rebuildProjection(t.db, h.store, { ...taskViewProjection, table: inLogOrder }, { batchSize: 5 });
    expect(again.to_table).toBe('task_view_v4');
    expect(await rows()).toEqual(rebuilt);
  });
});

describe('the swap of a rebuilt table', () => {
  it('drops the old table in the same transaction: when the drop fails, nothing of the swap happened', async () => {
    const { table } = taskViewProjection;
    if (!table) throw new Error('task-view keeps a table');
    const before = (await t.db.query<{ active_table: string }>(`SELECT active_table FROM projections WHERE name = 'task-view'`)).rows[0]?.active_table;
    if (!before) throw new Error('task-view is registered');
    const failingDrop = { ...taskViewProjection, table: { ...table, drop: async (tx: Parameters<typeof table.create>[0], name: string) => {
      if (name === before) throw new Error('the old table cannot be dropped');
      await tx.query(`DROP TABLE IF EXISTS ${name}`);
    } } };
    const rowsBefore = await rows();
    await expect(rebuildProjection(t.db, h.store, failingDrop)).rejects.toThrow('the old table cannot be dropped');
    expect((await t.db.query(`SELECT active_table FROM projections WHERE name = 'task-view'`)).rows).toEqual([{ active_table: before }]);
    expect(await rows()).toEqual(rowsBefore);

    const report = await rebuildProjection(t.db, h.store, taskViewProjection);
    const left = await t.db.query(`SELECT tablename FROM pg_tables WHERE tablename = $1`, [before]);
    expect(left.rows).toEqual([]);
    expect(report.from_table).toBe(before);
  });
});

describe('rebuilding the audit log', () => {
  const auditRows = async () => (await t.db.query('SELECT * FROM audit_log ORDER BY position')).rows;

  it('loads whole tasks with COPY into tables equal to what the live projector wrote, indexed after the load', async () => {
    const runtime = await h.run(auditProjection);
    const tasks = Array.from({ length: 6 }, () => randomUUID());
    let last = 0;
    for (const [i, id] of tasks.entries()) {
      last = await handled(h.commands.handle({ type: 'CreateTask', task_id: id, user_id: `auditor-${i % 2}`, fields: { title: `Audit ${i}`, description: i % 2 ? 'with "quotes"\nand lines' : null } }, context));
    }
    for (const [i, id] of tasks.entries()) {
      last = await handled(h.commands.handle({ type: 'UpdateTask', task_id: id, user_id: `auditor-${i % 2}`, changes: { priority: 'urgent', tags: ['x'] } }, context));
      if (i % 3 === 0) last = await handled(h.commands.handle({ type: 'CompleteTask', task_id: id, user_id: `auditor-${i % 2}` }, context));
    }
    while (!(await projectionPassed(t.db, h.store, PROJECTIONS.audit, last))) await runtime.caughtUp();
    const live = await auditRows();
    const liveStates = (await t.db.query('SELECT task_id, state, version FROM audit_log_v1_task_state ORDER BY task_id')).rows;

    const report = await rebuildProjection(t.db, h.store, auditProjection, { batchSize: 5 });
    expect(report).toMatchObject({ from_table: 'audit_log_v1', to_table: 'audit_log_v2' });
    expect(await auditRows()).toEqual(live);
    expect((await t.db.query('SELECT task_id, state, version FROM audit_log_v2_task_state ORDER BY task_id')).rows).toEqual(liveStates);
    const indexes = await t.db.query<{ indexname: string }>("SELECT indexname FROM pg_indexes WHERE tablename = 'audit_log_v2' ORDER BY indexname");
    expect(indexes.rows.map((r) => r.indexname)).toEqual(['audit_log_v2_owner', 'audit_log_v2_owner_action', 'audit_log_v2_owner_task', 'audit_log_v2_pkey']);
  });
});
