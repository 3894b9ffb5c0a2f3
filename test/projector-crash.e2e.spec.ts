import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { readCheckpoint } from '../projections/runtime/projection-state.sql.ts';
import { bulkCreateTasks } from './support/bulk-events.ts';
import { testDatabase } from './support/test-database.ts';
import { runTodo, type TodoProcess } from './support/todo-process.ts';
import { PROJECTIONS } from '../contracts/projection-names.ts';

const running: TodoProcess[] = [];
afterAll(() => { for (const todo of running) if (todo.child.exitCode === null) todo.child.kill('SIGKILL'); });

describe('a projector process killed mid-stream', () => {
  it('ends, after a restart, with exactly the rows it should: none lost, none doubled', async () => {
    const { db, url } = await testDatabase();
    const total = 20_000;
    await bulkCreateTasks(db, total);
    const head = (await db.query<{ p: number }>('SELECT max(position)::float8 AS p FROM events')).rows[0]?.p ?? 0;
    const env = { DATABASE_URL: url, PORT: '0', HOST: '127.0.0.1', AUTH_JWT_SECRET: 'crash-test-secret-long-enough-0123456789', PROJECTION_BATCH_SIZE: '100' };

    const first = runTodo(['serve', 'api'], env);
    running.push(first);
    let checkpoint = 0;
    for (let i = 0; i < 3000 && checkpoint === 0; i++) {
      checkpoint = (await readCheckpoint(db, PROJECTIONS.taskView).catch(() => ({ position: 0 }))).position;
      if (checkpoint === 0) await sleep(10);
    }
    first.child.kill('SIGKILL');
    await first.exited;
    const atKill = (await readCheckpoint(db, PROJECTIONS.taskView)).position;
    expect(atKill).toBeGreaterThan(0);
    expect(atKill).toBeLessThan(head);

    const second = runTodo(['serve', 'api'], env);
    running.push(second);
    for (let i = 0; i < 6000 && (await readCheckpoint(db, PROJECTIONS.taskView)).position < head; i++) await sleep(10);
    expect((await readCheckpoint(db, PROJECTIONS.taskView)).position).toBe(head);

    const rows = await db.query<{ n: number; distinct_tasks: number; missing: number }>(
      `SELECT count(*)::int AS n, count(DISTINCT task_id)::int AS distinct_tasks,
              (SELECT count(*)::int FROM streams s WHERE NOT EXISTS (SELECT 1 FROM task_view v WHERE v.task_id = s.stream_id)) AS missing
         FROM task_view`);
    expect(rows.rows[0]).toEqual({ n: total, distinct_tasks: total, missing: 0 });
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  });
});
