import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoredEvent } from '../../contracts/events/stored-event.ts';
import type { Queryable } from '../../contracts/ports/sql.ts';
import { testDatabase, type TestDatabase } from '../../test/support/test-database.ts';
import { projectionHarness, recordingObserver, type Harness } from '../../test/support/projection-harness.ts';
import { listDeadLetters } from './dead-letters.sql.ts';
import { readCheckpoint } from './projection-state.sql.ts';
import type { PoisonPolicy, ReadModelProjection } from './projector.ts';
import { placeholderTable } from '../testing/placeholder-table.ts';
import { retryDeadLetters } from './retry-dead-letters.ts';

let t: TestDatabase;
let h: Harness;
beforeAll(async () => { t = await testDatabase(); h = await projectionHarness(t.db, t.url); });
afterAll(() => h.close());

const context = { request_id: null, correlation_id: null, causation_id: null, traceparent: null };
const create = (title: string) =>
  h.commands.handle({ type: 'CreateTask', task_id: randomUUID(), user_id: 'alice', fields: { title } }, context);

/** A projector that records which runtime saw which event, and fails on titles it is told to. */
function recorder(name: string, options: { onPoison?: PoisonPolicy; failOn?: Set<string> } = {}) {
  const table = name.replaceAll('-', '_');
  let runtimeLabel = '';
  const projector: ReadModelProjection & { label(l: string): void } = {
    kind: 'read-model',
    name,
    table: placeholderTable(`${table}_placeholder`),
    onPoison: options.onPoison ?? 'skip',
    label(l: string) { runtimeLabel = l; },
    async apply(tx: Queryable, events: readonly StoredEvent[]) {
      await tx.query(`CREATE TABLE IF NOT EXISTS ${table} (event_id uuid PRIMARY KEY, stream_id uuid, runtime text)`);
      for (const event of events) {
        const title = (event.data as { title?: string }).title ?? '';
        if (options.failOn?.has(title)) throw new Error(`cannot project ${title}`);
        await tx.query(`INSERT INTO ${table} VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, [event.event_id, event.stream_id, runtimeLabel]);
      }
    },
  };
  const seen = async () => (await t.db.query<{ event_id: string; runtime: string }>(`SELECT event_id, runtime FROM ${table}`)).rows;
  return { projector, seen };
}

describe('the projector runtime', () => {
  it('opens no transaction when a wake-up finds nothing after its last batch, and applies the events once they show', async () => {
    const { projector, seen } = recorder('quiet-wake-test');
    let transactions = 0;
    let reads = 0;
    const db = { ...t.db, transaction: <T>(work: Parameters<typeof t.db.transaction<T>>[0]) => { transactions += 1; return t.db.transaction(work); } };
    const log = { ...h.store, readLogAfter: (...args: Parameters<typeof h.store.readLogAfter>) => { reads += 1; return h.store.readLogAfter(...args); } };
    const runtime = await h.run(projector, { db, log });
    await create('seen first');
    await runtime.caughtUp();
    const applied = (await seen()).length;

    // A transaction that is still open holds back what log readers may see: the create below commits and
    // wakes the projector, but its reads find nothing until the older transaction ends.
    const older = await t.db.connect();
    await older.query('BEGIN');
    await older.query('SELECT pg_current_xact_id()');
    const transactionsBefore = transactions;
    const readsBefore = reads;
    await create('hidden behind an older transaction');
    while (reads < readsBefore + 3) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(transactions).toBe(transactionsBefore);
    expect((await seen()).length).toBe(applied);

    await older.query('COMMIT');
    older.release();
    await runtime.caughtUp();
    expect((await seen()).length).toBe(applied + 1);
    expect(transactions).toBeGreaterThan(transactionsBefore);
    await runtime.stop();
  });

  /** Two creates in a row under a 60 s pace: the pauses the runtime asked for, once both are applied. */
  async function pausesOverTwoCreates(projector: ReadModelProjection, seen: () => Promise<unknown[]>): Promise<number[]> {
    const pauses: number[] = [];
    const runtime = await h.run(projector, { paceMs: 60_000, pause: async (ms) => { pauses.push(ms); } });
    await runtime.caughtUp();
    const before = (await seen()).length;
    await create(`${projector.name} one`);
    await create(`${projector.name} two`);
    await runtime.caughtUp();
    expect((await seen()).length).toBe(before + 2);
    await runtime.stop();
    return pauses;
  }

  it('paces a paced projector while appends keep coming: it waits out its interval before the next batch, and applies everything', async () => {
    const { projector, seen } = recorder('paced-test');
    const pauses = await pausesOverTwoCreates({ ...projector, paced: true }, seen);
    expect(pauses.length).toBeGreaterThan(0);
    for (const ms of pauses) expect(ms).toBeGreaterThan(0);
    for (const ms of pauses) expect(ms).toBeLessThanOrEqual(60_000);
  });

  it('does not pace a projector that is not marked paced, whatever the interval', async () => {
    const { projector, seen } = recorder('unpaced-test');
    expect(await pausesOverTwoCreates(projector, seen)).toEqual([]);
  });

  it('applies the log from its checkpoint, woken by NOTIFY, and keeps the checkpoint with the batch', async () => {
    await create('before start');
    const { projector, seen } = recorder('wake-test');
    const runtime = await h.run(projector);
    await runtime.caughtUp();
    const first = (await seen()).length;
    await create('after start');
    await runtime.caughtUp();
    expect((await seen()).length).toBe(first + 1);
    const checkpoint = await readCheckpoint(t.db, 'wake-test');
    expect(checkpoint).toEqual(await h.store.readLogHead());
    await runtime.stop();
  });

  it('runs one active instance; a standby takes over when the holder\'s connection dies', async () => {
    const a = recorder('leader-test');
    const b = recorder('leader-test');
    a.projector.label('a');
    b.projector.label('b');
    const first = await h.run(a.projector);
    await first.caughtUp();
    const second = await h.run(b.projector);
    await create('seen by the leader');
    await first.caughtUp();
    expect(first.isLeader()).toBe(true);
    expect(second.isLeader()).toBe(false);
    expect((await a.seen()).every((row) => row.runtime === 'a')).toBe(true);

    // Kill the leader's session from outside, as a crashed process would lose it.
    await t.db.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'test-leader-test' AND pid IN (
      SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted)`);
    await first.stop();
    await create('seen by the standby');
    await second.caughtUp();
    expect(second.isLeader()).toBe(true);
    const rows = await a.seen();
    expect(rows.filter((row) => row.runtime === 'b').length).toBeGreaterThanOrEqual(1);
    expect(new Set(rows.map((r) => r.event_id)).size).toBe(rows.length);
    await second.stop();
  });

  it('has a standby say it is not leading from its first try, so its projection_leader exists at 0', async () => {
    const a = recorder('standby-test');
    const b = recorder('standby-test');
    const leaderObserver = recordingObserver();
    const standbyObserver = recordingObserver();
    const first = await h.run(a.projector, { observer: leaderObserver });
    await first.caughtUp();
    const second = await h.run(b.projector, { observer: standbyObserver });
    for (let i = 0; i < 500 && standbyObserver.events.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(standbyObserver.events.map((e) => e.kind)).toEqual(['lost']);
    expect(leaderObserver.events.filter((e) => e.kind === 'lead' || e.kind === 'lost').map((e) => e.kind)).toEqual(['lead']);
    await second.stop();
    await first.stop();
  });

  it('dead-letters an event that keeps failing, skips it visibly, and a retry replays it once fixed', async () => {
    const failOn = new Set(['poison']);
    const { projector, seen } = recorder('skip-test', { failOn });
    const observer = recordingObserver();
    await create('fine 1');
    const poison = await create('poison');
    await create('fine 2');
    const runtime = await h.run(projector, { observer, maxAttempts: 3 });
    await runtime.caughtUp();
    const deadLetters = await listDeadLetters(t.db, 'skip-test');
    expect(deadLetters).toHaveLength(1);
    expect(deadLetters[0]).toMatchObject({ stream_id: poison.ok ? poison.value.task_id : '', error: 'cannot project poison', attempts: 3 });
    expect(observer.events.filter((e) => e.kind === 'dead-letter')).toHaveLength(1);
    expect(observer.events.filter((e) => e.kind === 'retry').length).toBeGreaterThanOrEqual(3);
    const seenBefore = await seen();

    failOn.clear();
    const outcomes = await retryDeadLetters(t.db, h.store, projector);
    expect(outcomes.map((o) => o.ok)).toEqual([true]);
    expect(await listDeadLetters(t.db, 'skip-test')).toEqual([]);
    expect((await seen()).length).toBe(seenBefore.length + 1);
    await runtime.stop();
  });

  it('stops at an event that keeps failing when its policy is stop, with the checkpoint before it', async () => {
    await create('ok before');
    const poison = await create('halt here');
    const { projector } = recorder('stop-test', { onPoison: 'stop', failOn: new Set(['halt here']) });
    const observer = recordingObserver();
    const runtime = await h.run(projector, { observer, maxAttempts: 2 });
    for (let i = 0; i < 500 && !observer.events.some((e) => e.kind === 'stopped'); i++) await new Promise((r) => setTimeout(r, 20));
    expect(observer.events.some((e) => e.kind === 'stopped')).toBe(true);
    const [stored] = await h.store.readStream(poison.ok ? poison.value.task_id : '');
    const checkpoint = await readCheckpoint(t.db, 'stop-test');
    expect(checkpoint.position).toBeLessThan(stored?.position ?? 0);
    await runtime.stop();
  });

  it('goes on by itself, without a restart, once the dead letter it stopped at is resolved', async () => {
    const failOn = new Set(['stuck here']);
    const stuck = await create('stuck here');
    const later = await create('after it');
    const { projector } = recorder('resume-test', { onPoison: 'stop', failOn });
    const observer = recordingObserver();
    const runtime = await h.run(projector, { observer, maxAttempts: 2 });
    for (let i = 0; i < 500 && !observer.events.some((e) => e.kind === 'stopped'); i++) await new Promise((r) => setTimeout(r, 20));
    expect(observer.events.some((e) => e.kind === 'stopped')).toBe(true);

    failOn.clear(); // the cause is fixed (a row, a permission, a constraint), and the operator retries
    expect((await retryDeadLetters(t.db, h.store, projector)).map((o) => o.ok)).toEqual([true]);
    // No restart: the same runtime applies the event it stopped at, and what came after it.
    for (let i = 0; i < 500 && !observer.events.some((e) => e.kind === 'resumed'); i++) await new Promise((r) => setTimeout(r, 20));
    expect(observer.events.some((e) => e.kind === 'resumed')).toBe(true);
    await runtime.caughtUp();
    const projected = new Set((await t.db.query<{ stream_id: string }>('SELECT stream_id FROM resume_test')).rows.map((row) => row.stream_id));
    expect([stuck, later].map((r) => projected.has(r.ok ? r.value.task_id : ''))).toEqual([true, true]);
    await runtime.stop();
  });
});
