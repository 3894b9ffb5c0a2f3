import { existsSync } from 'node:fs';
import { chmod, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTodo, type TodoProcess } from './support/todo-process.ts';

/*
 * Todo as a user runs it: `todo serve` with no DATABASE_URL, so the embedded PostgreSQL in DATA_DIR, a
 * generated secret and the printed token. Real processes, real signals.
 */

let dataDir: string;
const running: TodoProcess[] = [];

async function start(): Promise<{ todo: TodoProcess; url: string; token: string }> {
  const todo = runTodo(['serve', 'all'], { DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1' });
  running.push(todo);
  const [, url] = await todo.waitFor(/Todo is running on (http:\/\/localhost:\d+)/);
  const [, token] = await todo.waitFor(/export TOKEN=(\S+)/);
  return { todo, url: url ?? '', token: token ?? '' };
}

async function post(url: string, token: string, path: string, body?: unknown, method = 'POST') {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'todo-e2e-'));
  await chmod(dataDir, 0o755); // the embedded server runs as the postgres user
});
afterAll(async () => {
  for (const todo of running) if (todo.child.exitCode === null) todo.child.kill('SIGKILL');
});

describe('running Todo from a fresh data folder', () => {
  let taskId = '';

  it('starts with an embedded PostgreSQL and prints a token that works', async () => {
    const { todo, url, token } = await start();
    const created = await post(url, token, '/api/tasks', { title: 'Survive a restart' });
    expect(created.status).toBe(201);
    taskId = String(created.body['task_id']);

    const second = runTodo(['serve', 'all'], { DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1' });
    running.push(second);
    expect(await second.exited).not.toBe(0);
    expect(second.output()).toMatch(/in use by another Todo process \(pid \d+\)/);

    todo.child.kill('SIGTERM');
    expect(await todo.exited).toBe(0);
    expect(todo.output()).toMatch(/"msg":"stopped"/);
    expect(existsSync(join(dataDir, 'todo.lock'))).toBe(false);
  });

  it('finds every task again after a restart, and `todo token` mints tokens it accepts', async () => {
    const { todo, url } = await start();
    const minted = runTodo(['token', '--user', 'demo'], { DATA_DIR: dataDir });
    expect(await minted.exited).toBe(0);
    const token = minted.stdout().trim();
    const updated = await post(url, token, `/api/tasks/${taskId}`, { title: 'Survived a restart' }, 'PATCH');
    expect(updated).toEqual({ status: 200, body: expect.objectContaining({ task_id: taskId, version: 2 }) as unknown });
    todo.child.kill('SIGINT');
    expect(await todo.exited).toBe(0);
  });

  it('recovers when the previous process was killed outright and left its PostgreSQL behind', async () => {
    const { todo } = await start();
    todo.child.kill('SIGKILL');
    await todo.exited;
    const { todo: next, url, token } = await start();
    const completed = await post(url, token, `/api/tasks/${taskId}/complete`);
    expect(completed.status).toBe(200);
    expect(completed.body['version']).toBe(3);
    next.child.kill('SIGTERM');
    expect(await next.exited).toBe(0);
  });
});
