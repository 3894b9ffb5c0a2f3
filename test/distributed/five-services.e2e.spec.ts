import { randomBytes, randomUUID } from 'node:crypto';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { CHROMIUM_FLAGS } from '../support/chromium-flags.ts';
import { FeedClient } from '../support/feed-client.ts';
import { testDatabase, type TestDatabase } from '../support/test-database.ts';
import { apiClient, eventually } from './support/api-client.ts';
import { auditCounts } from './support/audit-counts.ts';
import { broker } from './support/broker.ts';
import { startCluster, type Cluster, type ServiceName } from './support/cluster.ts';
import { startIngress } from './support/ingress.ts';

/*
 * The dapr transport (docs/architecture.md §5): the five services as separate processes, each with a real daprd, events flowing through the relay
 * and a real Kafka broker (scripts/test-distributed.sh starts it), against one PostgreSQL.
 */

const SECRET = 'distributed-test-secret-long-enough-0123456789';
const client = apiClient(SECRET);
let database: TestDatabase;
let cluster: Cluster;

beforeAll(async () => {
  await broker.emptied();
  database = await testDatabase();
  cluster = await startCluster({ DATABASE_URL: database.url, AUTH_JWT_SECRET: SECRET, LOG_LEVEL: 'info', REMINDER_TICK_SECONDS: '1' });
});
afterAll(async () => { await cluster?.stop(); });

const api = (method: string, path: string, user: string, body?: unknown, headers?: Record<string, string>) =>
  client.call(cluster.url('api'), method, path, { user, ...(body === undefined ? {} : { body }), ...(headers ? { headers } : {}) });

/** The JSON lines a service process wrote (its sidecar's output left out). */
function appLines(service: ServiceName): Array<Record<string, unknown>> {
  const [app = ''] = cluster.logs(service).split('\n--- daprd ---\n');
  return app.split('\n').flatMap((line) => {
    try { return [JSON.parse(line) as Record<string, unknown>]; } catch { return []; }
  });
}

const auditComplete = (users: readonly string[]) => eventually(async () => {
  const counts = await auditCounts(database.db, users);
  return counts.entries >= counts.events && counts.events > 0 ? counts : undefined;
});

/** A command retried with the same Idempotency-Key until the api answers (it may be down on purpose). */
async function command(method: string, path: string, user: string, body: unknown, key: string) {
  return eventually(async () => {
    const reply = await api(method, path, user, body, { 'idempotency-key': key });
    return reply.status < 500 ? reply : undefined;
  }, 50);
}

/** Creates and updates tasks one after another; returns once `stop` resolved and the loop finished. */
function commandLoop(user: string, stop: Promise<void>): Promise<number> {
  let stopping = false;
  void stop.then(() => { stopping = true; });
  return (async () => {
    let issued = 0;
    while (!stopping || issued < 10) {
      const id = randomUUID();
      const created = await command('POST', '/api/tasks', user, { id, title: `loop ${issued}` }, `create-${id}`);
      expect(created.status).toBe(201);
      const updated = await command('PATCH', `/api/tasks/${id}`, user, { title: `loop ${issued} (edited)` }, `update-${id}`);
      expect(updated.status).toBe(200);
      issued += 1;
    }
    return issued;
  })();
}

describe('five services over Dapr and Kafka', () => {
  it('recurs, audits, schedules the reminder and streams every change in order', async () => {
    const user = 'eve';
    const feed = new FeedClient(`${cluster.url('sync').replace('http', 'ws')}/ws`, { headers: { authorization: `Bearer ${await client.token(user)}` } });
    await feed.opened;
    await feed.until((frames) => frames.some((f) => f.type === 'ready'));

    const dueDay = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
    const created = await api('POST', '/api/tasks', user, {
      title: 'Water the plants',
      due: { datetime: `${dueDay}T09:00`, timezone: 'UTC' },
      reminders: [{ before_minutes: 30, channels: ['email'] }],
      recurrence: { rrule: 'FREQ=DAILY', anchor: 'due' },
    });
    expect(created.status).toBe(201);
    const first = (created.body as { task_id: string }).task_id;
    expect((await api('PATCH', `/api/tasks/${first}`, user, { title: 'Water the plants and the herbs' })).status).toBe(200);
    expect((await api('POST', `/api/tasks/${first}/complete`, user)).status).toBe(200);

    // The recurring service, fed by task-events, created the next occurrence through the command handler.
    const next = await eventually(async () => {
      const list = await api('GET', '/api/tasks?sort=due&order=asc', user);
      const items = (list.body as { items: Array<{ id: string; status: string; series_id: string | null }> }).items;
      return items.find((item) => item.series_id === first && item.id !== first);
    });
    expect(next.status).toBe('open');

    // The audit service recorded every event once: 3 of the first task, the creation of the next.
    const counts = await auditComplete([user]);
    expect(counts).toEqual({ events: 4, entries: 4, distinct_entries: 4 });
    const audit = await api('GET', '/api/audit?limit=200', user);
    const entries = (audit.body as { items: Array<{ task_id: string; action: string }> }).items;
    expect(entries.filter((e) => e.task_id === first).map((e) => e.action).sort()).toEqual(['completed', 'created', 'updated']);
    expect(entries.filter((e) => e.task_id === next.id).map((e) => e.action)).toEqual(['created']);

    // The notification service, fed by reminders, scheduled the next occurrence's reminder.
    const reminder = await eventually(async () => {
      const notifications = await api('GET', '/api/notifications', user);
      const items = (notifications.body as { items: Array<{ task_id: string; status: string }> }).items;
      return items.find((item) => item.task_id === next.id);
    });
    expect(reminder.status).toBe('pending');

    // The sync service, fed by task-updates, streamed every change, each task's in order.
    await feed.until(() => feed.changes().length >= 4);
    const changes = feed.changes();
    expect(changes.filter((f) => f.task_id === first).map((f) => [f.event_type, f.version])).toEqual([
      ['TaskCreated', 1], ['TaskUpdated', 2], ['TaskCompleted', 3]]);
    expect(changes.filter((f) => f.task_id === next.id).map((f) => [f.event_type, f.version])).toEqual([['TaskCreated', 1]]);
    expect(changes.find((f) => f.event_type === 'TaskUpdated')?.task?.title).toBe('Water the plants and the herbs');
    feed.close();
  });

  it('follows one trace id from the api through the relay, Dapr and Kafka into every service\'s logs', async () => {
    const user = 'tracy';
    const created = randomBytes(16).toString('hex');
    const completed = randomBytes(16).toString('hex');
    const traceparent = (trace: string) => ({ traceparent: `00-${trace}-${randomBytes(8).toString('hex')}-01` });
    const dueDay = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
    const reply = await api('POST', '/api/tasks', user, {
      title: 'Feed the cat',
      due: { datetime: `${dueDay}T09:00`, timezone: 'UTC' },
      reminders: [{ before_minutes: 30, channels: ['email'] }],
      recurrence: { rrule: 'FREQ=DAILY', anchor: 'due' },
    }, traceparent(created));
    expect(reply.status).toBe(201);
    const first = (reply.body as { task_id: string }).task_id;
    expect((await api('POST', `/api/tasks/${first}/complete`, user, undefined, traceparent(completed))).status).toBe(200);

    // The api logs the request; audit, recurring, notification and sync each log the delivery of its event
    // (at info, the trace taken from the CloudEvent that came through the relay, the sidecars and Kafka).
    for (const service of ['api', 'audit', 'recurring', 'notification', 'sync'] as const) {
      const line = await eventually(async () => appLines(service).find((l) => l['trace_id'] === created && l['level'] === 'info'));
      expect(line, service).toMatchObject({ trace_id: created });
    }
    // The next occurrence the recurring service created carries the completion's trace, into the notification service.
    await eventually(async () => appLines('recurring').find((l) => l['trace_id'] === completed && l['msg'] === 'next occurrence created'));
    const scheduled = await eventually(async () => appLines('notification').find((l) => l['trace_id'] === completed && l['msg'] === 'reminders scheduled' && l['task_id'] !== first));
    const stored = await database.db.query<{ traceparent: string }>(
      `SELECT metadata->>'traceparent' AS traceparent FROM events WHERE stream_id = $1 AND version = 1`, [scheduled['task_id']]);
    expect(stored.rows[0]?.traceparent).toMatch(new RegExp(`^00-${completed}-[\\da-f]{16}-01$`));
  });

  it('loses nothing and doubles nothing when the audit service is killed under load and restarted', async () => {
    const user = 'audit-crash';
    let stop = () => undefined as void;
    const loop = commandLoop(user, new Promise<void>((resolve) => { stop = resolve; }));
    await eventually(async () => ((await auditCounts(database.db, [user])).entries > 0 ? true : undefined));
    await cluster.kill('audit', { withSidecar: true });
    await eventually(async () => ((await auditCounts(database.db, [user])).events >= 20 ? true : undefined));
    await cluster.restart('audit');
    stop();
    const issued = await loop;
    const counts = await auditComplete([user]);
    expect(counts.events).toBe(issued * 2);
    expect(counts).toEqual({ events: issued * 2, entries: issued * 2, distinct_entries: issued * 2 });
  });

  it('loses nothing and doubles nothing when the relay (the api process) is killed under load and restarted', async () => {
    const user = 'relay-crash';
    let stop = () => undefined as void;
    const loop = commandLoop(user, new Promise<void>((resolve) => { stop = resolve; }));
    await eventually(async () => ((await auditCounts(database.db, [user])).entries > 0 ? true : undefined));
    await cluster.kill('api');
    await cluster.restart('api');
    stop();
    const issued = await loop;
    const counts = await auditComplete([user]);
    expect(counts).toEqual({ events: issued * 2, entries: issued * 2, distinct_entries: issued * 2 });
    const tasks = await database.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM task_view WHERE user_id = $1`, [user]);
    expect(tasks.rows[0]?.n).toBe(issued);
  });

  it('shows a change made through the api in a browser, arriving through Kafka and the sync service (the ingress routes /ws there)', async () => {
    const found = inject('chromium');
    if ('problem' in found) throw new Error(`Chromium is needed for the browser test and could not be had:\n${found.problem}`);
    const ingress = await startIngress({ api: cluster.url('api'), sync: cluster.url('sync') });
    const browser = await chromium.launch({ executablePath: found.path, args: CHROMIUM_FLAGS });
    try {
      const context = await browser.newContext({ baseURL: ingress.url, locale: 'en-US' });
      await context.addInitScript((token) => localStorage.setItem('todo.token', token), await client.token('browser-user'));
      const page = await context.newPage();
      await page.goto('/');
      await page.getByTestId('connection').and(page.locator('[data-state="live"]')).waitFor();
      const title = `Arrived through Kafka ${randomBytes(3).toString('hex')}`;
      const created = await api('POST', '/api/tasks', 'browser-user', { title });
      expect(created.status).toBe(201);
      // No reload: the sync service pushed the change (the api serves no /ws in this mode).
      await page.getByRole('link', { name: title, exact: true }).waitFor();
      // The socket is the sync service's: it counts the browser's connection, and the api has no /ws at all.
      const metrics = await (await fetch(`${cluster.url('sync')}/metrics`)).text();
      expect(Number(/^websocket_connections_active\S* (\d+)/m.exec(metrics)?.[1] ?? 0)).toBeGreaterThanOrEqual(1);
      expect((await fetch(`${cluster.url('api')}/ws`)).status).toBe(404);
      await context.close();
    } finally {
      await browser.close();
      await ingress.close();
    }
  });
});

