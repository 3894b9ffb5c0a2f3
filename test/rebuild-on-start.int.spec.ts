import { beforeAll, describe, expect, it } from 'vitest';
import type { Projector } from '../projections/runtime/projector.ts';
import { registerProjection } from '../projections/runtime/projection-state.sql.ts';
import { createAuditProjection } from '../projections/read-models/audit/audit.projection.ts';
import { bulkCreateTasks } from './support/bulk-events.ts';
import { testDatabase, type TestDatabase } from './support/test-database.ts';
import { startTestSystem, type TestSystem } from './support/test-system.ts';

/** A gate a projector waits at, opened by the test; `reached` resolves when the projector first arrives. */
function gate() {
  let open: () => void = () => undefined;
  let arrive: () => void = () => undefined;
  const opened = new Promise<void>((resolve) => { open = resolve; });
  const reached = new Promise<void>((resolve) => { arrive = resolve; });
  return { open, reached, async pass() { arrive(); await opened; } };
}

/** task-view as a later deploy declares it: another schema version, the bulk load waiting at `held` if given. */
const taskViewVersion = (version: number, held?: ReturnType<typeof gate>) => (projectors: readonly Projector[]): Projector[] =>
  projectors.map((projector) => {
    if (projector.name !== 'task-view' || projector.kind !== 'read-model') return projector;
    const { table } = projector;
    const { load } = table;
    return {
      ...projector,
      table: {
        ...table,
        schemaVersion: version,
        ...(load ? { load: async (tx, events, into) => { await held?.pass(); await load(tx, events, into); } } : {}),
      },
    };
  });

const messages = (...systems: TestSystem[]) => systems.flatMap((t) => t.logs).map((line) => line['msg']);
const taskView = async (t: TestDatabase) =>
  (await t.db.query<{ active_table: string; schema_version: number }>("SELECT active_table, schema_version FROM projections WHERE name = 'task-view'")).rows[0];
const titles = async (t: TestSystem) => ((await t.call('GET', '/api/tasks?limit=200')).body as { items: Array<{ title: string }> }).items.map((i) => i.title).sort();

describe('a projection whose declared schema version changed', () => {
  let database: TestDatabase;
  const env = () => ({ DATABASE_URL: database.url });
  beforeAll(async () => {
    database = await testDatabase();
    // As first deployed: task-view at schema version 1, whatever it declares today.
    const first = await startTestSystem({ env: env(), adaptProjectors: taskViewVersion(1) });
    for (const title of ['One', 'Two', 'Three']) expect((await first.call('POST', '/api/tasks', { body: { title } })).status).toBe(201);
    await first.system.projectors.find((runtime) => runtime.name === 'task-view')?.caughtUp();
    expect(await taskView(database)).toEqual({ active_table: 'task_view_v1', schema_version: 1 });
    await first.system.close();
  });

  it('is rebuilt blue/green at start-up while the old table answers and /ready says so; its runtime resumes in the new table', async () => {
    const held = gate();
    const t = await startTestSystem({ env: env(), adaptProjectors: taskViewVersion(2, held) });
    await held.reached;

    expect(t.system.rebuilds.owed()).toMatchObject([{ projection: 'task-view', from_version: 1, to_version: 2, state: 'rebuilding' }]);
    const ready = await t.call('GET', '/ready', { user: null });
    expect(ready.status).toBe(503);
    expect(ready.body).toMatchObject({
      type: 'urn:todo:problem:not_ready',
      detail: 'rebuilding task-view for schema version 2 (0%)',
      // Three tasks created: the log head is at position 3.
      waiting_for: [{ reason: 'rebuild', projection: 'task-view', state: 'rebuilding', progress: { events: 0, total: 3, eta_seconds: null } }],
    });
    const lags = (ready.body as { projections: Array<{ projection: string }> }).projections;
    expect(lags.find((lag) => lag.projection === 'task-view')).toEqual({ projection: 'task-view', lag_events: 0, runs_here: true });
    // The old table answers; a write is accepted, and the runtime stands by rather than write into the old table.
    expect(await titles(t)).toEqual(['One', 'Three', 'Two']);
    expect((await t.call('POST', '/api/tasks', { body: { title: 'Four' } })).status).toBe(201);
    expect(await taskView(database)).toEqual({ active_table: 'task_view_v1', schema_version: 1 });

    held.open();
    await t.system.rebuilds.done;
    expect(await taskView(database)).toEqual({ active_table: 'task_view_v2', schema_version: 2 });
    expect(t.system.rebuilds.owed()).toEqual([]);
    await t.system.projectors.find((runtime) => runtime.name === 'task-view')?.caughtUp();
    expect(await titles(t)).toEqual(['Four', 'One', 'Three', 'Two']);
    expect(await t.call('GET', '/ready', { user: null })).toMatchObject({ status: 200, body: { status: 'ready' } });
    expect(t.logs).toContainEqual(expect.objectContaining({
      msg: 'rebuilding projection for its new schema version; the old table answers queries until the swap',
      projection: 'task-view', from_version: 1, to_version: 2, total: 3,
    }));
    expect(t.logs).toContainEqual(expect.objectContaining({ msg: 'projection rebuilt', projection: 'task-view', to_table: 'task_view_v2', schema_version: 2 }));
    await t.system.close();
  });

  it('is rebuilt once when two instances start together', async () => {
    const held = gate();
    const [a, b] = await Promise.all([
      startTestSystem({ env: env(), adaptProjectors: taskViewVersion(3, held) }),
      startTestSystem({ env: env(), adaptProjectors: taskViewVersion(3, held) }),
    ]);
    await held.reached;
    // One holds the projection's rebuild lock and rebuilds; the other waits for it, and says so on /ready.
    const states = [...a.system.rebuilds.owed(), ...b.system.rebuilds.owed()].map((owed) => owed.state).sort();
    expect(states).toEqual(['rebuilding', 'waiting']);
    const waiting = a.system.rebuilds.owed()[0]?.state === 'waiting' ? a : b;
    expect(await waiting.call('GET', '/ready', { user: null })).toMatchObject({
      status: 503, body: { detail: 'rebuilding task-view for schema version 3 (waiting for another instance rebuilding it)' },
    });
    held.open();
    await Promise.all([a.system.rebuilds.done, b.system.rebuilds.done]);
    // One rebuild from v2 makes v3; a second would have made v4.
    expect(await taskView(database)).toEqual({ active_table: 'task_view_v3', schema_version: 3 });
    expect(messages(a, b).filter((msg) => msg === 'projection rebuilt')).toHaveLength(1);
    expect(messages(waiting)).toContain('projection already rebuilt by another instance');
    expect(await titles(a)).toEqual(['Four', 'One', 'Three', 'Two']);
    expect(await titles(b)).toEqual(['Four', 'One', 'Three', 'Two']);
  });
});

describe('/ready and projection lag', () => {
  it('waits at start-up for the projectors this service runs to catch up, reports every lag, and stays ready once caught up', async () => {
    const database = await testDatabase();
    // The audit projection is another service's: its lag is reported, it does not hold the api back.
    // Registration only: nothing is applied here, so the projection never reads the log.
    await registerProjection(database.db, createAuditProjection({ readStreamPrefixes: async () => [] }));
    await bulkCreateTasks(database.db, 50);
    let held = gate();
    const slowTaskView = (projectors: readonly Projector[]): Projector[] => projectors.map((projector) => projector.name !== 'task-view' || projector.kind !== 'read-model' ? projector : {
      ...projector,
      apply: async (tx, events, table) => { await held.pass(); await projector.apply(tx, events, table); },
    });
    const t = await startTestSystem({ service: 'api', env: { DATABASE_URL: database.url, READY_MAX_LAG_EVENTS: '10' }, adaptProjectors: slowTaskView });
    await held.reached;

    const behind = await t.call('GET', '/ready', { user: null });
    expect(behind).toMatchObject({
      status: 503,
      body: {
        detail: 'task-view is 50 events behind the log (at most 10)',
        waiting_for: [{ reason: 'lag', projection: 'task-view', lag_events: 50, max_lag_events: 10 }],
        projections: [{ projection: 'audit', lag_events: 50, runs_here: false }, { projection: 'task-view', lag_events: 50, runs_here: true }],
      },
    });

    const caughtUp = held;
    held = gate();
    held.open();
    caughtUp.open();
    await t.system.projectors.find((runtime) => runtime.name === 'task-view')?.caughtUp();
    expect(await t.call('GET', '/ready', { user: null })).toMatchObject({
      status: 200,
      body: { status: 'ready', projections: [{ projection: 'audit', lag_events: 50, runs_here: false }, { projection: 'task-view', lag_events: 0, runs_here: true }] },
    });

    // Behind again after it was ready: reported, but it stays in the load balancer.
    held = gate();
    await bulkCreateTasks(database.db, 20);
    await held.reached;
    expect(await t.call('GET', '/ready', { user: null })).toMatchObject({
      status: 200,
      body: { projections: [{ projection: 'audit', lag_events: 70 }, { projection: 'task-view', lag_events: 20 }] },
    });
    held.open();
  });
});
