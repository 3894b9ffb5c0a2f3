import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createDb } from '../gateways/postgres/db.ts';
import { bulkCreateTasks } from './support/bulk-events.ts';
import { runTodo, serveFresh, type TodoProcess } from './support/todo-process.ts';
import { PROJECTIONS } from '../contracts/projection-names.ts';

const running: TodoProcess[] = [];
afterAll(() => { for (const todo of running) if (todo.child.exitCode === null) todo.child.kill('SIGKILL'); });

describe('todo projections rebuild task-view, while the service answers queries', () => {
  it('swaps in a rebuilt table with every task while a query loop keeps succeeding', { timeout: 180_000 }, async () => {
    const { server, dataDir, url, token } = await serveFresh('rebuild', (started) => running.push(started));
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };

    let position = 0;
    for (let i = 0; i < 40; i++) {
      const response = await fetch(`${url}/api/tasks`, { method: 'POST', headers, body: JSON.stringify({ title: `Mine ${i}`, tags: ['live'] }) });
      position = ((await response.json()) as { position: number }).position;
    }
    // A longer log than the API could write quickly, so the rebuild takes a while.
    const db = createDb((await readFile(join(dataDir, 'postgres.url'), 'utf8')).trim());
    await bulkCreateTasks(db, 30_000);
    await db.close();

    let calls = 0;
    const failures: string[] = [];
    let looping = true;
    const loop = (async () => {
      while (looping) {
        const response = await fetch(`${url}/api/tasks?tag=live&limit=200&min_position=${position}`, { headers });
        calls += 1;
        const body = (await response.json()) as { items?: unknown[] };
        if (response.status !== 200 || body.items?.length !== 40) failures.push(`${response.status} ${JSON.stringify(body).slice(0, 200)}`);
      }
    })();

    const rebuild = runTodo(['projections', 'rebuild', PROJECTIONS.taskView], { DATA_DIR: dataDir });
    running.push(rebuild);
    expect(await rebuild.exited).toBe(0);
    looping = false;
    await loop;
    expect(rebuild.output()).toMatch(/rebuilt task-view: task_view_v1 → task_view_v2, \d+ events/);
    // Piped, the progress is plain lines: the total to replay first, the last at 100%.
    expect(rebuild.output()).toMatch(/^rebuilding task-view: ~\d+ events to replay$/m);
    expect(rebuild.output()).toMatch(/^task-view: \d+ of ~\d+ events \(100%\), \d+ events\/s, about 0 s left$/m);
    expect(rebuild.output()).not.toContain('\r');
    expect(rebuild.output()).not.toContain('\u001b');
    expect(failures).toEqual([]);
    expect(calls).toBeGreaterThan(0);

    const status = runTodo(['projections', 'status'], { DATA_DIR: dataDir });
    expect(await status.exited).toBe(0);
    expect(status.output()).toMatch(/task-view\s+task_view_v2\s+(\d+)\s+\1\s+0\s+0/);

    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
  });
});
