import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { FeedClient } from '../support/feed-client.ts';
import { testDatabase, type TestDatabase } from '../support/test-database.ts';
import { apiClient, eventually } from './support/api-client.ts';
import { auditCounts } from './support/audit-counts.ts';
import { broker } from './support/broker.ts';
import { startCluster, type Cluster, type ServiceName } from './support/cluster.ts';

/*
 * The bus rides out its own faults: while a command loop runs against the api, the Kafka broker is stopped
 * and started again on its data dir, and sidecars are killed and started again (the api's, which the relay
 * publishes through; two consumers'). No Todo process is restarted. Afterwards every service has resumed by
 * itself and every acknowledged command is in every consumer exactly once. Then a consumer's process is
 * down for longer than any bounded redelivery would wait: nothing is skipped.
 */

const SECRET = 'distributed-test-secret-long-enough-0123456789';
const USER = 'bus-faults';
const SERVICES: readonly ServiceName[] = ['api', 'recurring', 'notification', 'audit', 'sync'];
/** How long each fault lasts: long enough for publishes and deliveries to fail and back off a few times. */
const BROKER_DOWN_MS = 6_000;
const SIDECAR_DOWN_MS = 4_000;
/** The pause between two tasks of the command loop. */
const PACE_MS = 250;
/** Longer than the sidecar's whole redelivery budget was when it was bounded ((1 + 3) × (1 + 2) attempts, 1 s apart). */
const CONSUMER_DOWN_MS = 20_000;

const client = apiClient(SECRET);
let database: TestDatabase;
let cluster: Cluster;

beforeAll(async () => {
  await broker.emptied();
  database = await testDatabase();
  cluster = await startCluster({ DATABASE_URL: database.url, AUTH_JWT_SECRET: SECRET, LOG_LEVEL: 'info', REMINDER_TICK_SECONDS: '1' });
});
afterAll(async () => { await cluster?.stop(); });

let user = USER;
const api = (method: string, path: string, body?: unknown) =>
  client.call(cluster.url('api'), method, path, { user, ...(body === undefined ? {} : { body }) });

/**
 * What the loop did to one task, and what every consumer must end up showing for it:
 * - `plain`: created, renamed, completed (3 events);
 * - `reminded`: created with a due date and a reminder, renamed (2 events; its reminder pending);
 * - `recurring`: created daily with a reminder, completed (3 events: the recurring service creates the next
 *   occurrence, whose reminder is pending while the completed one's is not).
 */
type Kind = 'plain' | 'reminded' | 'recurring';
interface Issued { readonly id: string; readonly kind: Kind; readonly title: string }
const EVENTS_PER_KIND: Readonly<Record<Kind, number>> = { plain: 3, reminded: 2, recurring: 3 };
const KINDS: readonly Kind[] = ['plain', 'reminded', 'recurring'];

const dueTomorrow = () => ({ datetime: `${new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10)}T09:00`, timezone: 'UTC' });

/** Every command must be acknowledged at once: the api's writes do not depend on the bus. */
async function expectStatus(reply: Promise<{ status: number; body: unknown }>, status: number): Promise<void> {
  const { status: got, body } = await reply;
  expect(got, JSON.stringify(body)).toBe(status);
}

/** One task through its kind's commands; returns the commands sent. */
async function exercise(task: Issued): Promise<number> {
  switch (task.kind) {
    case 'plain':
      await expectStatus(api('POST', '/api/tasks', { id: task.id, title: `${task.title} (draft)` }), 201);
      await expectStatus(api('PATCH', `/api/tasks/${task.id}`, { title: task.title }), 200);
      await expectStatus(api('POST', `/api/tasks/${task.id}/complete`), 200);
      return 3;
    case 'reminded':
      await expectStatus(api('POST', '/api/tasks', {
        id: task.id, title: `${task.title} (draft)`, due: dueTomorrow(), reminders: [{ before_minutes: 30, channels: ['email'] }],
      }), 201);
      await expectStatus(api('PATCH', `/api/tasks/${task.id}`, { title: task.title }), 200);
      return 2;
    case 'recurring':
      await expectStatus(api('POST', '/api/tasks', {
        id: task.id, title: task.title, due: dueTomorrow(), reminders: [{ before_minutes: 30, channels: ['email'] }],
        recurrence: { rrule: 'FREQ=DAILY', anchor: 'due' },
      }), 201);
      await expectStatus(api('POST', `/api/tasks/${task.id}/complete`), 200);
      return 2;
    default: {
      const never: never = task.kind;
      throw new Error(`unknown kind ${String(never)}`);
    }
  }
}

/**
 * Runs tasks through their commands, one after another, a pause between tasks, until `stopped()` (and at
 * least `minimum` tasks). The pace keeps the backlog the faults leave, and so the suite's time, bounded.
 */
async function commandLoop(stopped: () => boolean, minimum: number): Promise<{ tasks: Issued[]; commands: number }> {
  const tasks: Issued[] = [];
  let commands = 0;
  while (!stopped() || tasks.length < minimum) {
    const kind = KINDS[tasks.length % KINDS.length] ?? 'plain';
    const task = { id: randomUUID(), kind, title: `${kind} ${tasks.length}` };
    tasks.push(task);
    commands += await exercise(task);
    await sleep(PACE_MS);
  }
  return { tasks, commands };
}

const counts = () => auditCounts(database.db, [user]);

/** Waits until the audit service has recorded at least `events` entries: at the far end of relay, sidecars and broker. */
const auditReaches = (events: number) => eventually(async () => ((await counts()).entries >= events ? true : undefined), 200);

const eventsOf = (tasks: readonly Issued[]) => tasks.reduce((sum, task) => sum + EVENTS_PER_KIND[task.kind], 0);

/** Waits until the store holds `events` events of the user (next occurrences included) and the audit as many entries. */
const settledAt = (events: number) => eventually(async () => {
  const now = await counts();
  return now.events === events && now.entries >= now.events ? now : undefined;
}, 200);

/** Every page of a list endpoint. */
async function all<T>(path: string): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | null = null;
  do {
    const separator = path.includes('?') ? '&' : '?';
    const reply = await api('GET', `${path}${separator}limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    expect(reply.status).toBe(200);
    const page = reply.body as { items: T[]; next_cursor: string | null };
    items.push(...page.items);
    cursor = page.next_cursor;
  } while (cursor);
  return items;
}

interface TaskItem { id: string; title: string; status: string; series_id: string | null; version: number }
interface NotificationItem { task_id: string; status: string }

/** What a failure needs to be read: where the test was, the counts, and what each process said last. */
function reportOnFailure(phase: () => string): void {
  onTestFailed(async () => {
    const lines = (text: string) => text.split('\n').filter((line) => /warn|error|fatal|"level":"(?:warn|error)"/i.test(line)).slice(-15);
    const dead = await database.db.query('SELECT projection, type, error FROM projection_dead_letters LIMIT 5').catch(() => ({ rows: [] }));
    console.error(JSON.stringify({ phase: phase(), counts: await counts().catch(() => null), dead_letters: dead.rows }, null, 1));
    for (const service of SERVICES) console.error(`--- ${service}\n${lines(cluster.logs(service)).join('\n')}`);
  });
}

describe('the bus riding out broker and sidecar restarts under a command loop', () => {
  it('resumes by itself and loses nothing, doubles nothing, in any of the five services', { timeout: 300_000 }, async () => {
    const feed = new FeedClient(`${cluster.url('sync').replace('http', 'ws')}/ws`, { headers: { authorization: `Bearer ${await client.token(USER)}` } });
    await feed.opened;
    await feed.until((frames) => frames.some((f) => f.type === 'ready'));

    user = USER;
    let phase = 'before the faults';
    reportOnFailure(() => phase);
    let faultsOver = false;
    const loop = commandLoop(() => faultsOver, 30);
    const faults: string[] = [];
    const resumedAfter: Record<string, number> = {};
    /**
     * A fault: `down`, a while for publishes and deliveries to fail, then `up`. Measured from the start of
     * `up` until the audit service has every event written until `up` returned.
     */
    const inject = async (name: string, down: () => Promise<void>, downMs: number, up: () => Promise<void>) => {
      faults.push(name);
      phase = name;
      await down();
      await sleep(downMs);
      const since = performance.now();
      await up();
      phase = `${name}: waiting for the audit to catch up`;
      await auditReaches((await counts()).events);
      resumedAfter[name] = Math.round(performance.now() - since);
    };

    // The pipeline flows before the first fault.
    await auditReaches(1);

    await inject('broker stopped and started', () => broker.stop(), BROKER_DOWN_MS, () => broker.start());
    await inject('sidecar of the api (the relay) killed and restarted',
      () => cluster.killSidecar('api'), SIDECAR_DOWN_MS, () => cluster.restartSidecar('api'));
    await inject('sidecars of audit and notification killed and restarted',
      async () => { await Promise.all([cluster.killSidecar('audit'), cluster.killSidecar('notification')]); },
      SIDECAR_DOWN_MS,
      async () => { await Promise.all([cluster.restartSidecar('audit'), cluster.restartSidecar('notification')]); });
    faultsOver = true;
    const faultsEnded = performance.now();
    const { tasks, commands } = await loop;

    // Every event the commands caused (the next occurrences included) is in the store, and audited exactly once.
    phase = 'settling';
    const expectedEvents = eventsOf(tasks);
    const settled = await settledAt(expectedEvents);
    expect(settled).toEqual({ events: expectedEvents, entries: expectedEvents, distinct_entries: expectedEvents });

    // The read model: every task with its last title and status; one open next occurrence per recurring task.
    const listed = await all<TaskItem>('/api/tasks');
    const byId = new Map(listed.map((task) => [task.id, task]));
    for (const task of tasks) {
      expect(byId.get(task.id), task.title).toMatchObject({ title: task.title, status: task.kind === 'reminded' ? 'open' : 'completed' });
    }
    const occurrences = listed.filter((task) => task.series_id !== null && task.series_id !== task.id);
    const recurring = tasks.filter((task) => task.kind === 'recurring');
    expect(occurrences.map((task) => task.series_id).sort()).toEqual(recurring.map((task) => task.id).sort());
    expect(occurrences.every((task) => task.status === 'open')).toBe(true);
    expect(listed).toHaveLength(tasks.length + occurrences.length);

    // Notifications: pending for every open task with a reminder (next occurrences included), for no other.
    const pending = await eventually(async () => {
      const items = await all<NotificationItem>('/api/notifications?status=pending');
      return items.length === tasks.filter((task) => task.kind !== 'plain').length ? items : undefined;
    }, 500);
    const expectedPending = [...tasks.filter((task) => task.kind === 'reminded').map((task) => task.id), ...occurrences.map((task) => task.id)];
    expect(pending.map((item) => item.task_id).sort()).toEqual(expectedPending.sort());

    // The live feed (the sync service, fed by task-updates) streamed every task's last version to the open socket.
    await feed.until(() => listed.every((task) => feed.changes().some((change) => change.task_id === task.id && change.version === task.version)));
    feed.close();

    // Nothing was given up on, and every service says it is ready.
    const deadLetters = await database.db.query<{ n: number }>('SELECT count(*)::int AS n FROM projection_dead_letters');
    expect(deadLetters.rows[0]?.n).toBe(0);
    for (const service of SERVICES) {
      const ready = await fetch(`${cluster.url(service)}/ready`);
      expect(ready.status, service).toBe(200);
    }
    const resumed = Math.round(performance.now() - faultsEnded);

    console.info(JSON.stringify({
      commands, tasks: tasks.length, faults, events_checked: settled.events, caught_up_from_restart_ms: resumedAfter, settled_after_last_fault_ms: resumed,
    }));
  });

  it('keeps redelivering to a consumer that is down for longer than any retry budget, until it is back', { timeout: 150_000 }, async () => {
    user = 'consumer-down';
    let phase = 'before the fault';
    reportOnFailure(() => phase);
    let over = false;
    const loop = commandLoop(() => over, 30);
    await auditReaches(1);

    // The audit process alone: its sidecar keeps reading task-events and cannot deliver them.
    phase = 'audit down';
    await cluster.kill('audit');
    await sleep(CONSUMER_DOWN_MS);
    const since = performance.now();
    await cluster.restart('audit');
    over = true;
    phase = 'settling';
    const { tasks, commands } = await loop;

    const expected = eventsOf(tasks);
    expect(await settledAt(expected)).toEqual({ events: expected, entries: expected, distinct_entries: expected });
    const caughtUp = Math.round(performance.now() - since);
    const deadLetters = await database.db.query<{ n: number }>('SELECT count(*)::int AS n FROM projection_dead_letters');
    expect(deadLetters.rows[0]?.n).toBe(0);
    console.info(JSON.stringify({ commands, tasks: tasks.length, consumer_down_ms: CONSUMER_DOWN_MS, events_checked: expected, caught_up_from_restart_ms: caughtUp }));
  });
});
