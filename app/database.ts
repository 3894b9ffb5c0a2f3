import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Config } from '../contracts/config.ts';
import { createDb, type Db } from '../gateways/postgres/db.ts';
import { DataDirInUseError, lockDataDir } from '../gateways/postgres/data-dir-lock.ts';

const RUNNING_URL_FILE = 'postgres.url';
import { startEmbeddedPostgres } from '../gateways/postgres/embedded.ts';
import { migrate } from '../gateways/postgres/migrate.ts';
import { assertNotInRecovery } from '../gateways/postgres/recovery-state.ts';
import { assertLogOrderable } from '../write-side/event-store/log-order.sql.ts';
import type { Metrics } from './metrics.ts';

export interface Database { readonly db: Db; readonly embedded: boolean; close(): Promise<void> }

/**
 * DATABASE_URL when set; otherwise the bundled PostgreSQL in DATA_DIR, which belongs to this process alone
 * (a second instance on the same folder fails with a clear message). Migrations run before anything else.
 * A server still in recovery, or a log whose transaction ids this server cannot order (copied in without
 * `todo restore`), is refused: serving from either would lose writes.
 */
export async function openDatabase(config: Config, logger: Logger, metrics?: Metrics): Promise<Database> {
  const observe = metrics
    ? (seconds: number, outcome: 'ok' | 'error') => metrics.dbQueryDuration.observe({ outcome }, seconds)
    : undefined;
  const poolOptions = { max: config.DATABASE_POOL_MAX, ...(observe ? { observe } : {}) };
  if (config.DATABASE_URL) {
    const db = createDb(config.DATABASE_URL, poolOptions);
    try {
      await assertNotInRecovery(db, 'The DATABASE_URL server', false);
      await applyMigrations(db, logger);
    } catch (error) {
      await db.close();
      throw error;
    }
    return { db, embedded: false, close: () => db.close() };
  }
  const lock = await lockDataDir(config.DATA_DIR);
  try {
    const server = await startEmbeddedPostgres(config.DATA_DIR, { log: (line) => logger.debug({ postgres: line }, 'embedded postgres') });
    logger.info({ data_dir: config.DATA_DIR }, 'embedded PostgreSQL started');
    // Lets `todo projections …` and `todo migrate` in another terminal reach this instance's database.
    await writeFile(join(config.DATA_DIR, RUNNING_URL_FILE), `${server.url}\n`, { mode: 0o600 });
    // This process's own connections go through the server's Unix-domain socket (ADR 0045).
    const db = createDb(server.localUrl, poolOptions);
    try {
      await applyMigrations(db, logger);
    } catch (error) {
      await db.close();
      await server.stop();
      throw error;
    }
    return {
      db,
      embedded: true,
      async close() {
        await db.close();
        await rm(join(config.DATA_DIR, RUNNING_URL_FILE), { force: true });
        await server.stop();
        await lock.release();
      },
    };
  } catch (error) {
    await lock.release();
    throw error;
  }
}

/**
 * For one-off commands (CLI): DATABASE_URL; else the embedded PostgreSQL of the Todo instance that holds
 * DATA_DIR right now; else start the embedded one for the duration of the command.
 */
export async function connectDatabase(config: Config, logger: Logger): Promise<Database> {
  if (!config.DATABASE_URL) {
    try {
      const lock = await lockDataDir(config.DATA_DIR);
      await lock.release();
    } catch (error) {
      if (!(error instanceof DataDirInUseError)) throw error;
      const url = (await readFile(join(config.DATA_DIR, RUNNING_URL_FILE), 'utf8')).trim();
      const db = createDb(url, { max: 4 });
      return { db, embedded: true, close: () => db.close() };
    }
  }
  return openDatabase(config, logger);
}

async function applyMigrations(db: Db, logger: Logger): Promise<void> {
  const applied = await migrate(db);
  if (applied.length > 0) logger.info({ applied }, 'migrations applied');
  await assertLogOrderable(db);
}
