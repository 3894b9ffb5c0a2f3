import { setTimeout as sleep } from 'node:timers/promises';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSession } from '../../gateways/postgres/session.ts';
import { bulkCreateTasks } from '../../test/support/bulk-events.ts';
import { projectionHarness, recordingObserver, type Harness } from '../../test/support/projection-harness.ts';
import { testDatabase, type TestDatabase } from '../../test/support/test-database.ts';
import { createTaskViewProjection } from '../read-models/task-view/task-view.projection.ts';
import { registerProjection } from './projection-state.sql.ts';
import type { ProjectionTable, ReadModelProjection } from './projector.ts';
import { rebuildOnStart } from './rebuild-on-start.ts';
import { createDelivery, type DeliveryOutcome } from './deliver-event.ts';
import { LOG_START } from '../../contracts/events/stored-event.ts';

let t: TestDatabase;
let h: Harness;
let taskViewProjector: ReadModelProjection;
beforeAll(async () => {
  t = await testDatabase();
  h = await projectionHarness(t.db, t.url);
  taskViewProjector = createTaskViewProjection(h.store);
});
afterAll(() => h.close());

function recordingLogger() {
  const lines: Array<Record<string, unknown>> = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => { lines.push(JSON.parse(line) as Record<string, unknown>); } });
  return { logger, lines };
}

function taskViewAt(version: number, load?: ProjectionTable['load']): ReadModelProjection {
  const { table } = taskViewProjector;
  return { ...taskViewProjector, table: { ...table, schemaVersion: version, ...(load ? { load } : {}) } };
}

const storedVersion = async () =>
  (await t.db.query<{ schema_version: number }>("SELECT schema_version FROM projections WHERE name = 'task-view'")).rows[0]?.schema_version;

describe('rebuilding at start-up', () => {
  it('logs its progress with the total, a percentage and the time left, and stores the declared version', async () => {
    // As first deployed: schema version 1, whatever task-view declares today.
    await registerProjection(t.db, taskViewAt(1));
    await bulkCreateTasks(t.db, 1000);
    const { logger, lines } = recordingLogger();
    const rebuilds = await rebuildOnStart({
      db: t.db, log: h.store, projectors: [taskViewAt(2)], logger, batchSize: 100, logEveryMs: 0,
      openSession: () => openSession(t.url, 'test-rebuild'),
    });
    expect(rebuilds.owed()).toEqual([{ projection: 'task-view', from_version: 1, to_version: 2, state: 'waiting' }]);
    await rebuilds.done;

    expect(await storedVersion()).toBe(2);
    const progress = lines.filter((line) => line['msg'] === 'rebuilding projection');
    expect(progress.length).toBeGreaterThan(1);
    for (const line of progress) {
      expect(line).toMatchObject({ projection: 'task-view', total: 1000 });
      expect(Object.keys(line)).toEqual(expect.arrayContaining(['events', 'percent', 'events_per_second', 'eta_seconds']));
    }
    expect(progress.at(-1)).toMatchObject({ events: 1000, percent: 100, eta_seconds: 0 });
  });

  it('rebuilds nothing when the declared version is the stored one', async () => {
    const { logger, lines } = recordingLogger();
    const rebuilds = await rebuildOnStart({ db: t.db, log: h.store, projectors: [taskViewAt(2)], logger, openSession: () => openSession(t.url, 'test-rebuild') });
    await rebuilds.done;
    expect(rebuilds.owed()).toEqual([]);
    expect(lines).toEqual([]);
  });

  it('tries a failed rebuild again', async () => {
    const { logger, lines } = recordingLogger();
    let failures = 1;
    const load = taskViewProjector.table.load;
    const flaky = taskViewAt(3, async (tx, events, into) => {
      // As PostgreSQL says it (SQLSTATE 53100): a failure of the database, not of an event, so never dead-lettered.
      if (failures-- > 0) throw Object.assign(new Error('disk full'), { code: '53100' });
      await load?.(tx, events, into);
    });
    const rebuilds = await rebuildOnStart({ db: t.db, log: h.store, projectors: [flaky], logger, retryMs: 10, openSession: () => openSession(t.url, 'test-rebuild') });
    await rebuilds.done;
    expect(lines).toContainEqual(expect.objectContaining({ msg: 'rebuilding the projection failed; trying again', projection: 'task-view' }));
    expect(await storedVersion()).toBe(3);
  });
});

describe('a projector runtime and the schema version of its table', () => {
  it('gives up the lead while the active table has another schema version, and takes it back once its own is live', async () => {
    const observer = recordingObserver();
    const runtime = await h.run(taskViewAt(3), { observer });
    while (!runtime.isLeader()) await sleep(10);

    await t.db.query("UPDATE projections SET schema_version = 4 WHERE name = 'task-view'");
    while (runtime.isLeader()) await sleep(10);
    await bulkCreateTasks(t.db, 1);
    expect(observer.events.filter((event) => event.kind === 'lead' || event.kind === 'lost').map((event) => event.kind)).toEqual(['lead', 'lost']);

    // Meanwhile it applied nothing: the task appended stays unapplied until its own version is live again.
    const head = await h.store.readLogHead();
    const checkpoint = (await t.db.query<{ position: number }>("SELECT position::float8 AS position FROM projections WHERE name = 'task-view'")).rows[0];
    expect(checkpoint?.position).toBeLessThan(head.position);

    await t.db.query("UPDATE projections SET schema_version = 3 WHERE name = 'task-view'");
    await runtime.caughtUp();
    expect(observer.events.filter((event) => event.kind === 'lead' || event.kind === 'lost').map((event) => event.kind)).toEqual(['lead', 'lost', 'lead']);
  });
});

describe('a bus delivery and the schema version of the table', () => {
  it('is delivered again later while the active table has another schema version', async () => {
    const outcomes: Array<DeliveryOutcome | 'DUPLICATE'> = [];
    const deliver = createDelivery({ db: t.db, projector: taskViewAt(9), observer: { delivered: (_consumer, outcome) => outcomes.push(outcome) } });
    const [event] = await h.store.readLogAfter(LOG_START, 1);
    if (!event) throw new Error('the log has events');
    expect(await deliver(event)).toBe('RETRY');
    expect(outcomes).toEqual(['RETRY']);
  });
});
