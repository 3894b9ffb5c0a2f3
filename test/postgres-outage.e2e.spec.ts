import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintToken } from '../gateways/auth/mint-token.ts';
import { freePort } from '../gateways/postgres/embedded.ts';
import { PROBLEM_CONTENT_TYPE } from '../contracts/problem.ts';
import { FeedClient } from './support/feed-client.ts';
import { startStoppablePostgres, type StoppablePostgres } from './support/stoppable-postgres.ts';
import { runTodo, type TodoProcess } from './support/todo-process.ts';

/*
 * PostgreSQL goes away for ten seconds under a write and read load and comes back. `todo serve all` is a
 * real process against a server of the test's own, stopped the way `pg_ctl stop -m immediate` stops it.
 */

const SECRET = 'outage-test-secret-long-enough-for-hs256-0123456789';
const OUTAGE_MS = 10_000;
const WRITERS = 4;
/** Acknowledged writes the load makes before the outage, and again after it. */
const LOAD_BEFORE_AND_AFTER = 150;
const USERS = ['ada', 'grace'] as const;
/** A worker pauses this long after a 503, as a client honouring Retry-After would (in less time). */
const PAUSE_AFTER_503_MS = 100;

interface Acknowledged { readonly user: string; readonly task_id: string; readonly version: number; readonly position: number; readonly command: string; readonly at: number }
interface Answer { readonly status: number; readonly body: Record<string, unknown> }

let postgres: StoppablePostgres;
let todo: TodoProcess;
let base = '';
const tokens = new Map<string, string>();

/** Every answer of the load, by kind: a 2xx, a 503 as the contract says, or anything else (a defect). */
const tally = { tried: 0, ok: 0, unavailable: 0, defects: [] as string[] };
const acknowledged: Acknowledged[] = [];

async function call(user: string, method: string, path: string, body?: unknown): Promise<Answer> {
  tally.tried += 1;
  let response: Response;
  try {
    response = await fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${tokens.get(user) ?? ''}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      // Only a guard against a request that never answers; none is expected to come near it.
      signal: AbortSignal.timeout(60_000),
    });
  } catch (error) {
    tally.defects.push(`${method} ${path}: no answer (${error instanceof Error ? error.message : String(error)})`);
    return { status: 0, body: {} };
  }
  const text = await response.text();
  const parsed = (text ? JSON.parse(text) : {}) as Record<string, unknown>;
  if (response.ok) tally.ok += 1;
  else if (response.status === 503 && response.headers.get('content-type')?.startsWith(PROBLEM_CONTENT_TYPE) && response.headers.get('retry-after')) {
    tally.unavailable += 1;
    await sleep(PAUSE_AFTER_503_MS);
  } else tally.defects.push(`${method} ${path}: ${response.status} ${response.headers.get('content-type') ?? ''} retry-after=${response.headers.get('retry-after') ?? ''} ${text.slice(0, 300)}`);
  return { status: response.status, body: parsed };
}

function acknowledge(user: string, command: string, answer: Answer): Acknowledged | undefined {
  if (answer.status < 200 || answer.status >= 300) return undefined;
  const { task_id, version, position } = answer.body;
  const ack = { user, command, task_id: String(task_id), version: Number(version), position: Number(position), at: performance.now() };
  acknowledged.push(ack);
  return ack;
}

/** One writer: a recurring task with a reminder, a patch of its reminders, a read of it, its completion, a list. */
async function writer(index: number, running: () => boolean): Promise<void> {
  const user = USERS[index % USERS.length] ?? 'ada';
  for (let round = 0; running(); round++) {
    const created = acknowledge(user, 'create', await call(user, 'POST', '/api/tasks', {
      title: `writer ${index} round ${round}`,
      due: { date: '2099-06-01' },
      recurrence: { rrule: 'FREQ=DAILY', anchor: 'due' },
      reminders: [{ at: '2099-05-31T09:00:00Z', channels: ['email'] }],
    }));
    if (!created) continue;
    acknowledge(user, 'patch', await call(user, 'PATCH', `/api/tasks/${created.task_id}`, {
      title: `writer ${index} round ${round}, patched`,
      reminders: [{ at: '2099-05-31T09:00:00Z', channels: ['email'] }, { at: '2099-05-31T18:00:00Z', channels: ['email'] }],
    }));
    await call(user, 'GET', `/api/tasks/${created.task_id}?min_position=${created.position}`);
    acknowledge(user, 'complete', await call(user, 'POST', `/api/tasks/${created.task_id}/complete`));
    await call(user, 'GET', '/api/tasks?limit=20');
  }
}

const seconds = (ms: number) => Number((ms / 1000).toFixed(1));

async function ready(): Promise<Answer> {
  const response = await fetch(`${base}/ready`);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function every<T>(path: string, user: string): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | null = null;
  do {
    const page: Answer = await call(user, 'GET', `${path}${path.includes('?') ? '&' : '?'}limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    expect(page.status).toBe(200);
    items.push(...(page.body['items'] as T[]));
    cursor = page.body['next_cursor'] as string | null;
  } while (cursor);
  return items;
}

beforeAll(async () => {
  postgres = await startStoppablePostgres();
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  for (const user of [...USERS, 'watcher']) tokens.set(user, await mintToken({ secret: SECRET, userId: user, email: `${user}@example.com` }));
  todo = runTodo(['serve', 'all'], {
    DATABASE_URL: postgres.url, PORT: String(port), HOST: '127.0.0.1', AUTH_JWT_SECRET: SECRET,
    REMINDER_TICK_SECONDS: '1',
  });
  await todo.waitFor(/"msg":"listening"/);
});

afterAll(async () => {
  if (todo.child.exitCode === null) todo.child.kill('SIGKILL');
  await postgres.close();
});

describe('PostgreSQL going away for ten seconds under load', () => {
  it('answers 503 meanwhile, never 500, and afterwards holds every acknowledged write in every read model', async () => {
    const feeds = [0, 1].map(() => new FeedClient(`${base.replace('http', 'ws')}/ws?access_token=${tokens.get('ada') ?? ''}`));
    await Promise.all(feeds.map((feed) => feed.opened));

    let loading = true;
    const workers = Array.from({ length: WRITERS }, (_, index) => writer(index, () => loading));
    while (acknowledged.length < LOAD_BEFORE_AND_AFTER) await sleep(50);

    const crashedAt = performance.now();
    await postgres.crash();
    const readyWhileDown: Answer[] = [];
    while (performance.now() - crashedAt < OUTAGE_MS) {
      readyWhileDown.push(await ready());
      await sleep(500);
    }
    const acknowledgedBeforeRestart = acknowledged.length;
    const startingAt = performance.now();
    await postgres.start();
    const restartedAt = performance.now();

    let readyAgain = await ready();
    while (readyAgain.status !== 200) {
      await sleep(100);
      readyAgain = await ready();
    }
    const readyAfterMs = performance.now() - restartedAt;
    while (acknowledged.length < acknowledgedBeforeRestart + LOAD_BEFORE_AND_AFTER) await sleep(50);
    loading = false;
    await Promise.all(workers);
    const firstWriteAfterRestart = acknowledged.find((ack) => ack.at > restartedAt)?.at ?? restartedAt;
    const writingAfterMs = firstWriteAfterRestart - restartedAt;
    const load = { ...tally };

    // The process rode it out.
    expect(todo.child.exitCode).toBeNull();
    // Every answer was a success or a 503 problem with Retry-After: no 500, no hang.
    expect({ defects: tally.defects.length, first: tally.defects.slice(0, 5) }).toEqual({ defects: 0, first: [] });
    expect(tally.unavailable).toBeGreaterThan(0);
    // While the database was gone, /ready said so and named it.
    expect(readyWhileDown.length).toBeGreaterThan(0);
    for (const answer of readyWhileDown) {
      expect(answer.status).toBe(503);
      expect(String(answer.body['detail'])).toMatch(/database/);
    }

    // Every projector catches up by itself: no restart, nothing stopped, lag 0.
    const head = Math.max(...acknowledged.map((ack) => ack.position));
    for (;;) {
      const answer = await ready();
      const projections = (answer.body['projections'] ?? []) as Array<{ projection: string; lag_events: number | null }>;
      if (answer.status === 200 && projections.length > 0 && projections.every((p) => p.lag_events === null || p.lag_events === 0)) break;
      await sleep(100);
    }
    const caughtUpAfterMs = performance.now() - restartedAt;
    const caughtUp = ((await ready()).body['projections'] as Array<{ projection: string; lag_events: number | null }>);
    expect(caughtUp.filter((p) => p.lag_events === 0).map((p) => p.projection).sort()).toEqual(['audit', 'notification', 'recurring', 'task-view']);
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).not.toMatch(/^projection_dead_letters\{[^}]*\} [1-9]/m);

    // Every acknowledged write is in every read model.
    const byTask = Map.groupBy(acknowledged, (ack) => ack.task_id);
    const notifications = new Map<string, Set<string>>();
    for (const user of USERS) {
      const items = await every<{ task_id: string; reminder_index: number }>(`/api/notifications?min_position=${head}`, user);
      for (const item of items) notifications.set(item.task_id, (notifications.get(item.task_id) ?? new Set()).add(String(item.reminder_index)));
    }
    for (const [taskId, acks] of byTask) {
      const user = acks[0]?.user ?? '';
      const last = Math.max(...acks.map((ack) => ack.version));
      const lastPosition = Math.max(...acks.map((ack) => ack.position));
      const task = await call(user, 'GET', `/api/tasks/${taskId}?min_position=${lastPosition}`);
      expect(task.status).toBe(200);
      expect(Number(task.body['version'])).toBeGreaterThanOrEqual(last);
      const history = await call(user, 'GET', `/api/tasks/${taskId}/history`);
      const versions = new Set((history.body['items'] as Array<{ version: number }>).map((event) => event.version));
      for (const ack of acks) expect(versions.has(ack.version)).toBe(true);
      const audit = await every<{ position: number }>(`/api/audit?task_id=${taskId}&min_position=${lastPosition}`, user);
      const audited = new Set(audit.map((entry) => entry.position));
      for (const ack of acks) expect(audited.has(ack.position)).toBe(true);
      if (acks.some((ack) => ack.command === 'patch')) expect(notifications.get(taskId)).toEqual(new Set(['0', '1']));
      else expect(notifications.get(taskId)?.has('0')).toBe(true);
    }
    // The recurring projector made the next occurrence of every acknowledged completion.
    const completed = acknowledged.filter((ack) => ack.command === 'complete');
    for (const user of USERS) {
      const tasks = await every<{ series_id: string | null }>(`/api/tasks?status=open&min_position=${head}`, user);
      const series = new Set(tasks.map((task) => task.series_id));
      // Each completed task is the first of its series, whose id is its own: the next one names it.
      const missing = completed.filter((ack) => ack.user === user && !series.has(ack.task_id));
      expect(missing).toEqual([]);
    }

    // The live feed resumed: a write after the outage reaches the sockets opened before it and a new one.
    const late = new FeedClient(`${base.replace('http', 'ws')}/ws?access_token=${tokens.get('ada') ?? ''}`);
    await late.opened;
    const after = acknowledge('ada', 'create', await call('ada', 'POST', '/api/tasks', { title: 'after the outage' }));
    expect(after).toBeDefined();
    for (const feed of [...feeds, late]) await feed.until((frames) => frames.some((frame) => frame.type === 'task.changed' && frame.task_id === after?.task_id));
    for (const feed of [...feeds, late]) feed.close();

    console.log(JSON.stringify({
      requests_tried: load.tried, answered_2xx: load.ok, answered_503: load.unavailable,
      acknowledged_writes_checked: acknowledged.length, tasks_checked: byTask.size, ready_checks_while_down: readyWhileDown.length,
      postgres_stopped_seconds: seconds(startingAt - crashedAt), postgres_starting_seconds: seconds(restartedAt - startingAt),
      ready_after_restart_seconds: seconds(readyAfterMs), writing_again_after_seconds: seconds(writingAfterMs),
      lag_zero_after_restart_seconds: seconds(caughtUpAfterMs),
    }));

    todo.child.kill('SIGTERM');
    expect(await todo.exited).toBe(0);
  });
});
