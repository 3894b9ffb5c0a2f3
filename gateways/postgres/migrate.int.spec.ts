import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { testDatabase } from '../../test/support/test-database.ts';
import { createDb } from './db.ts';
import { loadMigrations, migrate } from './migrate.ts';

describe('the migration runner', () => {
  it('applies every numbered migration once, even when three processes start at the same moment', async () => {
    const { url } = await testDatabase({ migrated: false });
    const processes = [createDb(url), createDb(url), createDb(url)];
    try {
      const results = await Promise.all(processes.map((db) => migrate(db)));
      const all = (await loadMigrations()).map((m) => m.name);
      expect(results.flat().sort()).toEqual(all.sort());
      const recorded = await processes[0]?.query<{ name: string }>('SELECT name FROM schema_migrations ORDER BY version');
      expect(recorded?.rows.map((r) => r.name)).toEqual(all);
      expect(await migrate(processes[0] ?? createDb(url))).toEqual([]);
    } finally {
      await Promise.all(processes.map((db) => db.close()));
    }
  });

  it('rolls a failing migration back whole and names it', async () => {
    const { db } = await testDatabase({ migrated: false });
    const dir = await mkdtemp(join(tmpdir(), 'todo-migrations-'));
    await writeFile(join(dir, '001_good.sql'), 'CREATE TABLE good (id int);');
    await writeFile(join(dir, '002_bad.sql'), 'CREATE TABLE half (id int); SELECT no_such_function();');
    await expect(migrate(db, await loadMigrations(dir))).rejects.toThrow(/002_bad\.sql failed/);
    const tables = await db.query<{ table_name: string }>(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name");
    expect(tables.rows.map((r) => r.table_name)).toEqual(['good', 'schema_migrations']);
  });
});
