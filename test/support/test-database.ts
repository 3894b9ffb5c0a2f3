import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, inject } from 'vitest';
import { createDb, type Db } from '../../gateways/postgres/db.ts';
import { withDatabase } from './global-setup.ts';

export interface TestDatabase { readonly db: Db; readonly url: string }

/** A fresh database of its own (migrated unless asked otherwise) for the calling test file, dropped when the file is done. */
export async function testDatabase(options: { migrated?: boolean } = {}): Promise<TestDatabase> {
  const server = inject('postgresUrl');
  const name = `todo_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name} TEMPLATE ${options.migrated === false ? 'template0' : inject('templateDatabase')}`);
  await admin.end();
  const url = withDatabase(server, name);
  const db = createDb(url, { max: 30 });
  afterAll(async () => {
    await db.close();
    const cleanup = new pg.Client({ connectionString: server });
    await cleanup.connect();
    await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await cleanup.end();
  });
  return { db, url };
}
