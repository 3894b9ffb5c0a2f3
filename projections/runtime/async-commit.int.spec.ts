import { beforeAll, describe, expect, it } from 'vitest';
import { testDatabase, type TestDatabase } from '../../test/support/test-database.ts';
import { lockProjection } from './projection-state.sql.ts';

let t: TestDatabase;
beforeAll(async () => {
  t = await testDatabase();
  await t.db.query(`INSERT INTO projections (name, active_table, schema_version) VALUES ('async-commit-spec', NULL, 1)`);
});

const setting = async (q: { query: TestDatabase['db']['query'] }): Promise<string> =>
  (await q.query<{ synchronous_commit: string }>('SHOW synchronous_commit')).rows[0]?.synchronous_commit ?? '?';

describe('a log projector batch commits asynchronously', () => {
  it('turns synchronous_commit off for that transaction only', async () => {
    const inside = await t.db.transaction(async (tx) => {
      // A batch sets it as it takes the projector's lock, in the same round trip.
      await lockProjection(tx, 'async-commit-spec', { commitAsynchronously: true });
      return setting(tx);
    });
    expect(inside).toBe('off');
    // Every connection of the pool is back to the server default afterwards.
    const after = await Promise.all(Array.from({ length: 5 }, () => setting(t.db)));
    expect(after).toEqual(['on', 'on', 'on', 'on', 'on']);
  });
});
