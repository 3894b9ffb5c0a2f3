import { chmod, mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { createDb } from '../../gateways/postgres/db.ts';
import { runTodo, type TodoProcess } from '../support/todo-process.ts';

/*
 * Todo as an operator runs it for the backup specs: real `todo` processes on real data folders, and the
 * system compared through its API only.
 */

export async function freshDataDir(label: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `todo-${label}-`));
  await chmod(dir, 0o755); // the embedded server runs as the postgres user
  return dir;
}

const started: TodoProcess[] = [];

/**
 * Stops whatever a spec left running (a failed assertion between start and stop): SIGTERM, so that each
 * process stops its embedded PostgreSQL too, as an operator's stop would.
 */
export async function stopLeftovers(): Promise<void> {
  const running = started.filter((todo) => todo.child.exitCode === null && todo.child.signalCode === null);
  for (const todo of running) todo.child.kill('SIGTERM');
  await Promise.all(running.map((todo) => todo.exited));
}

/** A `todo` command to its end; its output when it succeeded. */
export async function todo(args: string[], env: Record<string, string>): Promise<string> {
  const run = runTodo(args, { LOG_LEVEL: 'warn', ...env });
  started.push(run);
  const code = await run.exited;
  expect(code, `todo ${args.join(' ')}:\n${run.output()}`).toBe(0);
  return run.stdout();
}

export interface Served {
  readonly url: string;
  readonly env: Record<string, string>;
  call(method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }>;
  stop(): Promise<void>;
}

/** `todo serve all` until it listens, with a token for user alice (minted with the same DATA_DIR's secret). */
export async function serve(env: Record<string, string>): Promise<Served> {
  const server = runTodo(['serve', 'all'], { PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...env });
  started.push(server);
  const [, url = ''] = await server.waitFor(/Todo is running on (http:\/\/localhost:\d+)/);
  const token = (await todo(['token', '--user', 'alice', '--email', 'alice@example.com'], env)).trim();
  return {
    url,
    env,
    async call(method, path, body) {
      const response = await fetch(`${url}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return { status: response.status, body: await response.json() };
    },
    async stop() {
      server.child.kill('SIGTERM');
      expect(await server.exited).toBe(0);
    },
  };
}

interface Page { readonly items: Array<Record<string, unknown>>; readonly next_cursor?: string | null }

async function everyItem(served: Served, path: string): Promise<Array<Record<string, unknown>>> {
  const items: Array<Record<string, unknown>> = [];
  let cursor: string | null | undefined;
  do {
    const separator = path.includes('?') ? '&' : '?';
    const page = await served.call('GET', `${path}${cursor ? `${separator}cursor=${encodeURIComponent(cursor)}` : ''}`);
    expect(page.status, JSON.stringify(page.body)).toBe(200);
    const body = page.body as Page;
    items.push(...body.items);
    cursor = body.next_cursor;
  } while (cursor);
  return items;
}

/**
 * Everything a user sees: tasks (open and done), each one's history, the audit log and the notification
 * records; with `atLeast`, each read waits until its projection has passed that position.
 */
export async function snapshot(served: Served, atLeast?: number): Promise<Record<string, unknown>> {
  const wait = atLeast === undefined ? '' : `min_position=${atLeast}&`;
  const tasks = await everyItem(served, `/api/tasks?${wait}limit=100&sort=created`);
  const history: Record<string, unknown> = {};
  for (const task of tasks) history[String(task['id'])] = await everyItem(served, `/api/tasks/${String(task['id'])}/history?${wait}`.replace(/[?&]$/, ''));
  return {
    tasks,
    history,
    audit: await everyItem(served, `/api/audit?${wait}limit=200`),
    notifications: await everyItem(served, `/api/notifications${atLeast === undefined ? '' : `?min_position=${atLeast}`}`),
  };
}

/** A small but varied data set: created, edited, completed, reopened and deleted tasks, and an armed reminder. */
export async function seed(served: Served): Promise<void> {
  const ids: string[] = [];
  for (let i = 0; i < 12; i++) {
    const created = await served.call('POST', '/api/tasks', { title: `Task ${i}`, tags: i % 2 === 0 ? ['even'] : ['odd'] });
    expect(created.status).toBe(201);
    ids.push((created.body as { task_id: string }).task_id);
  }
  const [a = '', b = '', c = '', d = ''] = ids;
  expect((await served.call('POST', `/api/tasks/${a}/complete`)).status).toBe(200);
  expect((await served.call('POST', `/api/tasks/${b}/complete`)).status).toBe(200);
  expect((await served.call('POST', `/api/tasks/${b}/reopen`)).status).toBe(200);
  expect((await served.call('PATCH', `/api/tasks/${c}`, { title: 'Task 2, renamed' })).status).toBe(200);
  expect((await served.call('DELETE', `/api/tasks/${d}`)).status).toBeLessThan(300);
  // A reminder armed for tomorrow: a notification record that must come back as it was, and not fire meanwhile.
  const due = new Date(Date.now() + 86_400_000).toISOString().slice(0, 16);
  const reminded = await served.call('POST', '/api/tasks', {
    title: 'Call the plumber', due: { datetime: due, timezone: 'UTC' }, reminders: [{ before_minutes: 30, channels: ['email'] }],
  });
  expect(reminded.status).toBe(201);
  const reminder = (reminded.body as { task_id: string; position: number });
  const listed = await served.call('GET', `/api/notifications?min_position=${reminder.position}`);
  expect((listed.body as Page).items.map((item) => item['task_id'])).toContain(reminder.task_id);
}

/** A task written now is listed by the next read that asks for it (min_position waits for the projection). */
export async function expectNewWriteVisible(served: Served): Promise<{ task_id: string; position: number }> {
  const created = await served.call('POST', '/api/tasks', { title: 'Written after the restore' });
  expect(created.status).toBe(201);
  const { task_id, position } = created.body as { task_id: string; position: number };
  const listed = await served.call('GET', `/api/tasks?limit=100&min_position=${position}`);
  expect(listed.status, JSON.stringify(listed.body)).toBe(200);
  expect((listed.body as Page).items.map((item) => item['id'])).toContain(task_id);
  return { task_id, position };
}

/** Transaction ids burnt on the source, so that its log's ids lie beyond what a new cluster has handed out. */
export async function ageCluster(dataDir: string, transactions: number): Promise<void> {
  const db = createDb((await readFile(join(dataDir, 'postgres.url'), 'utf8')).trim(), { max: 1 });
  try {
    await db.query(`DO $$ BEGIN FOR i IN 1..${transactions} LOOP PERFORM pg_current_xact_id(); COMMIT; END LOOP; END $$`);
  } finally {
    await db.close();
  }
}

/** Whether a PostgreSQL still runs on DATA_DIR's cluster (its postmaster.pid names a live process). */
export async function postmasterRunning(dataDir: string): Promise<boolean> {
  const pid = Number.parseInt((await readFile(join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').catch(() => '')).split('\n')[0] ?? '', 10);
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
