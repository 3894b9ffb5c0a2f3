import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { createDb } from '../../gateways/postgres/db.ts';
import { startEmbeddedPostgres } from '../../gateways/postgres/embedded.ts';
import { migrate } from '../../gateways/postgres/migrate.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A server URL (database part ignored) where tests may create databases. */
    postgresUrl: string;
    /** A migrated database to copy each test database from. */
    templateDatabase: string;
  }
}

const TEMPLATE = 'todo_test_template';

/**
 * Every test run gets a real PostgreSQL: DATABASE_URL when set (the role must be allowed to create
 * databases), otherwise the bundled embedded server in a throw-away folder.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  let url = process.env['DATABASE_URL'];
  let stop = async (): Promise<void> => undefined;
  if (!url) {
    const dir = await mkdtemp(join(tmpdir(), 'todo-test-pg-'));
    await chmod(dir, 0o755); // the embedded server runs as the postgres user, which must reach it
    const server = await startEmbeddedPostgres(dir);
    url = server.url;
    stop = async () => {
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    };
  }
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${TEMPLATE} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${TEMPLATE}`);
  await admin.end();
  const template = createDb(withDatabase(url, TEMPLATE));
  await migrate(template);
  await template.close();

  project.provide('postgresUrl', url);
  project.provide('templateDatabase', TEMPLATE);
  return stop;
}

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}
