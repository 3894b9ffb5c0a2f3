import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { APPENDS_CHANNEL } from '../contracts/ports/event-log.ts';
import { createDb } from '../gateways/postgres/db.ts';
import { runTodo, serveFresh, type TodoProcess } from './support/todo-process.ts';

/*
 * The dead-letter runbook on a single node, with the real CLI: a poison event (appended before the write
 * side refused such values, so written here straight into the store) stops task-view and its rebuild; the
 * commands the runbook gives lead back to a ready service whose rebuild completes.
 */

const running: TodoProcess[] = [];
afterAll(() => { for (const todo of running) if (todo.child.exitCode === null) todo.child.kill('SIGKILL'); });

async function todo(args: string[], dataDir: string): Promise<{ code: number | null; stdout: string; output: string }> {
  const process = runTodo(['projections', ...args], { DATA_DIR: dataDir });
  running.push(process);
  const code = await process.exited;
  return { code, stdout: process.stdout(), output: process.output() };
}

describe('the dead-letter runbook, single node', () => {
  it('takes a projector stopped at a poison event, and its rebuild, back to a good end state', { timeout: 180_000 }, async () => {
    const { server, dataDir, url, token } = await serveFresh('dead-letters', (started) => running.push(started));
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const ready = async () => (await fetch(`${url}/ready`)).status;
    const until = async (status: number) => {
      for (let i = 0; i < 1500 && (await ready()) !== status; i++) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(await ready()).toBe(status);
    };

    const created = await fetch(`${url}/api/tasks`, { method: 'POST', headers, body: JSON.stringify({ title: 'old log', due: { date: '2026-05-01' } }) });
    const { task_id: taskId } = (await created.json()) as { task_id: string };
    const db = createDb((await readFile(join(dataDir, 'postgres.url'), 'utf8')).trim());
    await db.query('UPDATE streams SET version = 2 WHERE stream_id = $1', [taskId]);
    await db.query(
      `INSERT INTO events (event_id, stream_id, version, type, schema_version, data, metadata)
       VALUES (gen_random_uuid(), $1, 2, 'TaskUpdated', 1, $2::jsonb,
               jsonb_build_object('user_id', 'dev', 'correlation_id', gen_random_uuid(), 'causation_id', NULL,
                 'traceparent', NULL, 'idempotency_key', NULL, 'request_id', NULL))`,
      [taskId, JSON.stringify({ task_id: taskId, changes: { due: { date: '0000-01-01' } }, updated_at: new Date().toISOString() })],
    );
    await db.query(`SELECT pg_notify('${APPENDS_CHANNEL}', '')`);
    await db.close();
    await until(503);

    // 1. List.
    const listed = await todo(['dead-letters'], dataDir);
    expect(listed.code).toBe(0);
    const line = listed.stdout.split('\n').find((row) => row.includes(taskId) && /\btask-view\b/.test(row)) ?? '';
    const id = /^(\d+)\s/.exec(line)?.[1] ?? '';
    expect(id).toMatch(/^\d+$/);

    // A rebuild stops at the same event and says how to resolve it.
    const stoppedRebuild = await todo(['rebuild', 'task-view'], dataDir);
    expect(stoppedRebuild.code).toBe(1);
    expect(stoppedRebuild.output).toContain(`rebuild of task-view stopped at event`);
    expect(stoppedRebuild.output).toContain(`todo projections dead-letters skip ${id}`);

    // 3. Resolve: skip (a retry fails, as the task is still unstorable).
    const retried = await todo(['retry', 'task-view', id], dataDir);
    expect(retried.code).toBe(1);
    expect(retried.stdout).toMatch(new RegExp(`^failed\\s+task-view #${id} task ${taskId}`, 'm'));
    const skipped = await todo(['dead-letters', 'skip', id], dataDir);
    expect(skipped.code).toBe(0);
    expect(skipped.stdout).toMatch(new RegExp(`^skipped\\s+task-view #${id} task ${taskId} version 2$`, 'm'));
    await until(200);

    // 4. Confirm: new writes are visible, the rebuild completes, no dead letter is left.
    const next = await fetch(`${url}/api/tasks`, { method: 'POST', headers, body: JSON.stringify({ title: 'after the skip' }) });
    const { position } = (await next.json()) as { position: number };
    expect((await fetch(`${url}/api/tasks?min_position=${position}&limit=10`, { headers })).status).toBe(200);
    const rebuilt = await todo(['rebuild', 'task-view'], dataDir);
    expect(rebuilt.code, rebuilt.output).toBe(0);
    expect(rebuilt.stdout).toMatch(/rebuilt task-view: task_view_v1 → task_view_v2/);
    const status = await todo(['status'], dataDir);
    expect(status.stdout).toMatch(/^task-view\s+task_view_v2\s+(\d+)\s+\1\s+0\s+0\s/m);
    const task = await fetch(`${url}/api/tasks/${taskId}`, { headers });
    expect(await task.json()).toMatchObject({ version: 1, due: { date: '2026-05-01' } });

    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
  });
});
