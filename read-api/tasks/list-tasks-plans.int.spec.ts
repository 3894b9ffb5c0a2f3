import { beforeAll, describe, expect, it } from 'vitest';
import type { Queryable, QueryResult } from '../../contracts/ports/sql.ts';
import { registerProjection } from '../../projections/runtime/projection-state.sql.ts';
import { createTaskViewProjection } from '../../projections/read-models/task-view/task-view.projection.ts';
import { testDatabase, type TestDatabase } from '../../test/support/test-database.ts';
import { listTasks, type TaskPageRequest } from './list-tasks.sql.ts';

let t: TestDatabase;

/** Runs the query listTasks builds under EXPLAIN, and keeps the plan. */
function explaining(db: Queryable): { db: Queryable; plan: () => string } {
  let plan = '';
  return {
    plan: () => plan,
    db: {
      async query<R extends object>(text: string, params?: readonly unknown[]): Promise<QueryResult<R>> {
        const result = await db.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${text}`, params);
        plan = result.rows.map((row) => row['QUERY PLAN']).join('\n');
        return { rows: [], rowCount: 0 };
      },
    },
  };
}

beforeAll(async () => {
  t = await testDatabase();
  // Registration only: no event is applied, so the projection never reads the log.
  await registerProjection(t.db, createTaskViewProjection({ readStreamPrefixes: async () => [] }));
  // A heavy user among many; a few tasks in a thousand, of every user, matches the search.
  await t.db.query(`
    INSERT INTO task_view_v1 (task_id, user_id, title, description, status, priority, priority_rank, tags, reminders,
                              occurrence, created_at, updated_at, version, position, body)
    SELECT gen_random_uuid(), CASE WHEN n % 4 = 0 THEN 'heavy' ELSE 'user-' || (n % 500) END,
           CASE WHEN n % 1000 < 4 THEN 'Quarterly report ' ELSE 'Weekly chores ' END || n, 'numbers for finance', 'open', 'none', 0, '{}', '[]', 0, now(), now(), 1, n, '{}'
      FROM generate_series(1, 40000) AS n`);
  await t.db.query('ANALYZE task_view_v1');
});

const request = (user: string, q: string): TaskPageRequest => ({
  filter: { user_id: user, q, now: new Date().toISOString() }, sort: 'created', order: 'desc', limit: 51,
});

const planOf = async (user: string, q: string): Promise<string> => {
  const explain = explaining(t.db);
  await listTasks(explain.db, request(user, q));
  return explain.plan();
};

describe('the plan of a full-text search', () => {
  it('finds a heavy user\'s few matches through the search index that leads with the user', async () => {
    const plan = await planOf('heavy', 'reports');
    expect(plan).toContain('task_view_v1_search');
    expect(plan).toMatch(/Index Cond: \(\(user_id = 'heavy'::text\) AND \(search @@/);
  });

  it('never collects other users\' matches: every index condition is bound to the user', async () => {
    for (const user of ['heavy', 'user-7']) {
      const conditions = (await planOf(user, 'reports')).split('\n').filter((line) => line.includes('Index Cond'));
      expect(conditions.length).toBeGreaterThan(0);
      for (const condition of conditions) expect(condition).toContain(`user_id = '${user}'`);
    }
  });
});
