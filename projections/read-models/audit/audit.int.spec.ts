import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoredEvent } from '../../../contracts/events/stored-event.ts';
import { projectionPassed } from '../../../read-api/consistency/projection-passed.sql.ts';
import { testDatabase, type TestDatabase } from '../../../test/support/test-database.ts';
import { projectionHarness, type Harness } from '../../../test/support/projection-harness.ts';
import { rebuildProjection } from '../../runtime/rebuild-projection.ts';
import { createAuditTables, taskStateTable } from './audit-table.sql.ts';
import { createAuditProjection } from './audit.projection.ts';
import type { ReadModelProjection } from '../../runtime/projector.ts';
import { PROJECTIONS } from '../../../contracts/projection-names.ts';
import { projectionSpec, readModelSubject } from '../../testing/projection-spec.ts';
import { inMemoryStreams } from '../../testing/in-memory-log.ts';
import { createDb } from '../../../gateways/postgres/db.ts';
import { postgresEventStore } from '../../../write-side/event-store/event-store.ts';
import { upcastEvent } from '../../../contracts/events/upcast.ts';

let t: TestDatabase;
let h: Harness;
let auditProjection: ReadModelProjection;
beforeAll(async () => { t = await testDatabase(); h = await projectionHarness(t.db, t.url); auditProjection = createAuditProjection(h.store); });
afterAll(() => h.close());

const context = { request_id: null, correlation_id: null, causation_id: null, traceparent: null };
const entries = async (table: string) => (await t.db.query(`SELECT * FROM ${table} ORDER BY position`)).rows;
const states = async (table: string) => (await t.db.query(`SELECT * FROM ${taskStateTable(table)} ORDER BY task_id`)).rows;
const tableExists = async (name: string) =>
  (await t.db.query<{ found: boolean }>('SELECT to_regclass($1) IS NOT NULL AS found', [name])).rows[0]?.found;

async function freshTables(name: string) {
  await t.db.transaction((tx) => createAuditTables(tx, name));
}
/** The live projector has applied the event at `position` (its caughtUp alone stops at the gap-safe head). */
async function projected(runtime: { caughtUp(): Promise<void> }, position: number) {
  while (!(await projectionPassed(t.db, h.store, PROJECTIONS.audit, position))) await runtime.caughtUp();
}
const apply = (events: readonly StoredEvent[], table: string) => t.db.transaction((tx) => auditProjection.apply(tx, events, table));

/** A small history over two tasks of two users; returns the log it made. */
async function history(): Promise<{ a: string; b: string; events: StoredEvent[] }> {
  const a = randomUUID();
  const b = randomUUID();
  await h.commands.handle({ type: 'CreateTask', task_id: a, user_id: 'alice', fields: { title: 'A', tags: ['x'] } }, context);
  await h.commands.handle({ type: 'UpdateTask', task_id: a, user_id: 'alice', changes: { priority: 'high', title: 'A2' } }, context);
  await h.commands.handle({ type: 'CreateTask', task_id: b, user_id: 'bob', fields: { title: 'B' } }, { ...context, correlation_id: 'corr-b' });
  await h.commands.handle({ type: 'CompleteTask', task_id: a, user_id: 'alice' }, context);
  await h.commands.handle({ type: 'DeleteTask', task_id: b, user_id: 'bob' }, context);
  await h.commands.handle({ type: 'ReopenTask', task_id: a, user_id: 'alice' }, context);
  // The streams, not the gap-safe log: another database's open transaction on the server may hold that back.
  const events = [...await h.store.readStream(a), ...await h.store.readStream(b)].sort((x, y) => x.position - y.position);
  return { a, b, events };
}

describe('the audit projection', () => {
  it('writes one entry per task event with the changed fields before and after', async () => {
    const { a, b, events } = await history();
    await freshTables('audit_shape');
    await apply(events, 'audit_shape');

    const rows = await entries('audit_shape');
    expect(rows.map((r) => [r['task_id'], r['action']])).toEqual([
      [a, 'created'], [a, 'updated'], [b, 'created'], [a, 'completed'], [b, 'deleted'], [a, 'reopened'],
    ]);
    expect(rows.map((r) => r['event_id'])).toEqual(events.map((e) => e.event_id));
    expect(rows[0]).toMatchObject({ owner_id: 'alice', actor_id: 'alice', before: null, after: { title: 'A', tags: ['x'], status: 'open' } });
    expect(rows[1]).toMatchObject({ before: { title: 'A', priority: 'none' }, after: { title: 'A2', priority: 'high' } });
    expect(Object.keys(rows[1]?.['after'] as object).sort()).toEqual(['priority', 'title']);
    expect(rows[2]).toMatchObject({ owner_id: 'bob', correlation_id: 'corr-b', occurred_at: new Date(events[2]?.created_at ?? '') });
    expect(rows[3]).toMatchObject({ before: { status: 'open', completed_at: null }, after: { status: 'completed' } });
    expect(rows[4]).toMatchObject({ before: { deleted_at: null } });
    expect(rows[5]).toMatchObject({ before: { status: 'completed' }, after: { status: 'open', completed_at: null } });
    expect((await states('audit_shape')).map((s) => [s['task_id'], s['version']]).sort()).toEqual([[a, 4], [b, 2]].sort());
  });

  it('is unchanged when the same events arrive twice, in one batch or split', async () => {
    const { a, b, events } = await history();
    const auditLog = readModelSubject(t.db, auditProjection, async (_db, table) => [{ entries: await entries(table), states: await states(table) }]);
    await projectionSpec(auditLog).given(events).thenRows(([log]) => {
      expect(log?.entries.map((r) => r['event_id'])).toEqual(events.map((e) => e.event_id));
      expect(log?.states.map((s) => [s['task_id'], s['version']]).sort()).toEqual([[a, 4], [b, 2]].sort());
    });
  });

  it('keeps no state for a task that has only been created, and files its first change from the creation in the log', async () => {
    const { a, events } = await history();
    await freshTables('audit_created');
    await apply(events.slice(0, 1), 'audit_created');
    expect(await states('audit_created')).toEqual([]);

    await apply(events.slice(1, 2), 'audit_created');
    const rows = await entries('audit_created');
    expect(rows.map((r) => [r['task_id'], r['action'], r['owner_id']])).toEqual([[a, 'created', 'alice'], [a, 'updated', 'alice']]);
    expect(rows[1]).toMatchObject({ before: { title: 'A', priority: 'none' }, after: { title: 'A2', priority: 'high' } });
    expect((await states('audit_created')).map((s) => [s['task_id'], s['version']])).toEqual([[a, 2]]);
  });

  it('reads the creation it did not keep inside the batch\'s transaction, so a pool whose every connection is in a batch does not wait on itself', async () => {
    const { a, events } = await history();
    await freshTables('audit_one_connection');
    await apply(events.slice(0, 1), 'audit_one_connection');
    // One connection, held by the batch's transaction: a read through the pool would wait for it (and fail
    // after the pool's connection timeout), as every delivery of a bus-fed service did under a backlog.
    const single = createDb(t.url, { max: 1, connectTimeoutMs: 2_000 });
    try {
      const audit = createAuditProjection(postgresEventStore(single, upcastEvent));
      await single.transaction((tx) => audit.apply(tx, events.slice(1, 2), 'audit_one_connection'));
    } finally {
      await single.close();
    }
    expect((await entries('audit_one_connection')).map((r) => [r['task_id'], r['action']])).toEqual([[a, 'created'], [a, 'updated']]);
  });

  it('refuses an event of a task whose creation is not in the log, rather than guess the owner', async () => {
    const { events } = await history();
    await freshTables('audit_headless');
    const headless = createAuditProjection(inMemoryStreams([]));
    await expect(t.db.transaction((tx) => headless.apply(tx, events.slice(1, 2), 'audit_headless'))).rejects.toThrow(/no creation before it/);
  });

  it('after a retried dead letter, the task\'s entries are as if nothing had failed', async () => {
    const { a, events } = await history();
    await freshTables('audit_clean');
    await apply(events, 'audit_clean');

    // The update was dead-lettered and skipped: the completion after it was filed with a stale "before".
    await freshTables('audit_gap');
    await apply(events.filter((e) => !(e.stream_id === a && e.version === 2)), 'audit_gap');
    expect((await entries('audit_gap')).length).toBe(events.length - 1);

    await t.db.transaction(async (tx) => {
      await auditProjection.forgetStream?.(tx, 'audit_gap', a);
      await auditProjection.apply(tx, events.filter((e) => e.stream_id === a), 'audit_gap');
    });
    expect({ entries: await entries('audit_gap'), states: await states('audit_gap') })
      .toEqual({ entries: await entries('audit_clean'), states: await states('audit_clean') });
  });

  it('rebuilds into a fresh table and task state, equal to the live ones, and drops the replaced pair', async () => {
    const runtime = await h.run(auditProjection);
    const { a, events } = await history();
    await projected(runtime, events.at(-1)?.position ?? 0);
    const live = { entries: await entries('audit_log'), states: await states('audit_log_v1') };
    expect(live.entries.length).toBeGreaterThan(0);

    const report = await rebuildProjection(t.db, h.store, auditProjection);
    expect(report).toMatchObject({ projection: PROJECTIONS.audit, from_table: 'audit_log_v1', to_table: 'audit_log_v2' });
    expect({ entries: await entries('audit_log'), states: await states('audit_log_v2') }).toEqual(live);
    expect(await tableExists('audit_log_v1')).toBe(false);
    expect(await tableExists('audit_log_v1_task_state')).toBe(false);

    // The live projector goes on in the new pair, with "before" from the rebuilt state.
    const done = await h.commands.handle({ type: 'CompleteTask', task_id: a, user_id: 'alice' }, context);
    if (!done.ok) throw new Error('complete failed');
    await projected(runtime, done.value.position);
    const last = (await entries('audit_log')).at(-1);
    expect(last).toMatchObject({ task_id: a, action: 'completed', before: { status: 'open', completed_at: null } });
    expect(await states('audit_log_v2')).toContainEqual(expect.objectContaining({ task_id: a, version: 5 }));
  });
});
