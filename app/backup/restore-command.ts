import { chmod, copyFile, cp, readFile, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Logger } from 'pino';
import { BackupManifest } from '../../contracts/backup-manifest.ts';
import type { Config } from '../../contracts/config.ts';
import { createDb, type Db } from '../../gateways/postgres/db.ts';
import { lockDataDir } from '../../gateways/postgres/data-dir-lock.ts';
import { startEmbeddedPostgres } from '../../gateways/postgres/embedded.ts';
import { pgTools } from '../../gateways/postgres/pg-tools.ts';
import { assertNotInRecovery } from '../../gateways/postgres/recovery-state.ts';
import { assertLogOrderable, logSummary } from '../../write-side/event-store/log-order.sql.ts';
import { loadConfig } from '../config.ts';
import { DATA_DIR_PART } from './backup-command.ts';
import { restampTransactionIds } from '../../write-side/event-store/restamp-transaction-ids.sql.ts';
import { giveToPostgresUser, secondsSince, serverVersion } from './server-facts.ts';

export const RESTORE_USAGE = `  restore --from DIR [--force]            restore a backup into DATABASE_URL, or the embedded DATA_DIR
                                          (--force: replace the database there)
`;

function parse(args: string[]) {
  const { values } = parseArgs({ args, options: { from: { type: 'string' }, force: { type: 'boolean', default: false } } });
  if (!values.from) throw new Error(`todo restore: --from DIR is required\nusage: todo ${RESTORE_USAGE.trim()}`);
  return { from: resolve(values.from), force: values.force };
}

async function readManifest(from: string): Promise<BackupManifest> {
  const path = join(from, 'manifest.json');
  if (!existsSync(path)) throw new Error(`todo restore: ${from} holds no manifest.json; is it a folder written by \`todo backup\`?`);
  const parsed = BackupManifest.safeParse(JSON.parse(await readFile(path, 'utf8')));
  if (!parsed.success) throw new Error(`todo restore: ${path} is not a backup manifest this Todo can read: ${parsed.error.message}`);
  return parsed.data;
}

/** The restored database: the log re-stamped when it came from a dump, then checked against the manifest. */
async function finish(db: Db, manifest: BackupManifest, logger: Logger): Promise<void> {
  if (manifest.format === 'logical') {
    const restamped = await restampTransactionIds(db);
    logger.info(restamped, 'transaction ids of the restored log re-stamped below this server\'s horizon');
  }
  await assertNotInRecovery(db, 'The restored PostgreSQL', true);
  await assertLogOrderable(db);
  const { count } = await logSummary(db);
  if (count !== manifest.event_count) throw new Error(`the restored log holds ${count} events; the backup's manifest says ${manifest.event_count}`);
}

async function pgRestore(url: string, db: Db, from: string, manifest: BackupManifest): Promise<void> {
  const target = await serverVersion(db);
  const tools = await pgTools(Math.max(target.major, manifest.tools_major));
  await tools.run('pg_restore', [
    '--no-owner', '--no-privileges', '--exit-on-error', '--single-transaction', `--dbname=${url}`, join(from, manifest.database),
  ]);
}

async function copyDataDirFiles(from: string, manifest: BackupManifest, dataDir: string): Promise<void> {
  for (const file of manifest.data_dir_files) {
    await copyFile(join(from, DATA_DIR_PART, file), join(dataDir, file));
    await chmod(join(dataDir, file), 0o600);
  }
}

async function restoreIntoUrl(config: Config & { DATABASE_URL: string }, from: string, manifest: BackupManifest, force: boolean, logger: Logger): Promise<void> {
  if (manifest.format === 'physical') {
    throw new Error('todo restore: a physical backup is a whole PostgreSQL data folder; it restores into the embedded DATA_DIR '
      + '(unset DATABASE_URL), or into your server\'s own data directory with its tooling. To move to a DATABASE_URL server, '
      + 'take a logical backup (`todo backup --to DIR`) and restore that.');
  }
  const db = createDb(config.DATABASE_URL, { max: 2, applicationName: 'todo-restore' });
  try {
    await assertNotInRecovery(db, 'The DATABASE_URL server', false);
    const objects = (await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p', 'v', 'm', 'S')`)).rows[0]?.n ?? 0;
    if (objects > 0) {
      if (!force) throw new Error(`todo restore: the DATABASE_URL database is not empty (${objects} tables, views and sequences); restore into an empty database, or pass --force to replace them`);
      logger.warn({ objects }, 'replacing the DATABASE_URL database\'s schema (--force)');
      await db.query(`DO $$ DECLARE target text := current_schema(); BEGIN
                        EXECUTE format('DROP SCHEMA %I CASCADE', target); EXECUTE format('CREATE SCHEMA %I', target); END $$`);
    }
    await pgRestore(config.DATABASE_URL, db, from, manifest);
    await finish(db, manifest, logger);
  } finally {
    await db.close();
  }
  await copyDataDirFiles(from, manifest, config.DATA_DIR);
}

async function restoreIntoDataDir(config: Config, from: string, manifest: BackupManifest, force: boolean, logger: Logger): Promise<void> {
  if (manifest.format === 'physical') {
    // Its roles and password are the source's; an embedded one's password travels in data-dir/. A data folder
    // of another major than the embedded PostgreSQL is refused by PostgreSQL itself, quoted when it stops.
    if (manifest.source !== 'embedded') throw new Error('todo restore: this physical backup is of a DATABASE_URL server; restore it with that server\'s tooling, or use a logical backup');
  }
  const lock = await lockDataDir(config.DATA_DIR);
  try {
    const cluster = resolve(config.DATA_DIR, 'postgres');
    if (existsSync(join(cluster, 'PG_VERSION'))) {
      if (!force) throw new Error(`todo restore: DATA_DIR ${resolve(config.DATA_DIR)} already holds a database; pass --force to replace it`);
      logger.warn({ cluster }, 'replacing the embedded database (--force)');
    }
    await rm(cluster, { recursive: true, force: true });
    await copyDataDirFiles(from, manifest, config.DATA_DIR);
    if (manifest.format === 'physical') {
      await cp(join(from, manifest.database), cluster, { recursive: true });
      await chmod(cluster, 0o700);
      await giveToPostgresUser(cluster);
    }
    // A physical copy replays its WAL to the end of the backup here; a logical one starts on a fresh cluster.
    const server = await startEmbeddedPostgres(config.DATA_DIR, { log: (line) => logger.debug({ postgres: line }, 'embedded postgres') });
    const db = createDb(server.url, { max: 2, applicationName: 'todo-restore' });
    try {
      if (manifest.format === 'logical') await pgRestore(server.url, db, from, manifest);
      await finish(db, manifest, logger);
    } finally {
      await db.close();
      await server.stop();
    }
  } finally {
    await lock.release();
  }
}

/**
 * `todo restore`: a backup of `todo backup` into the configured target, ready for `npm start` with no
 * other step: the database (its log re-stamped for this server, ADR 0026), and DATA_DIR's secrets.
 */
export async function restoreCommand(args: string[], logger: Logger): Promise<void> {
  const { from, force } = parse(args);
  const manifest = await readManifest(from);
  const started = performance.now();
  const config = loadConfig();
  const { DATABASE_URL } = config;
  if (DATABASE_URL) await restoreIntoUrl({ ...config, DATABASE_URL }, from, manifest, force, logger);
  else await restoreIntoDataDir(config, from, manifest, force, logger);
  process.stdout.write(`todo restore: ${manifest.format} backup of ${manifest.created_at} (${manifest.event_count} events) restored into `
    + `${DATABASE_URL ? 'DATABASE_URL' : `DATA_DIR ${resolve(config.DATA_DIR)}`} in ${secondsSince(started)} s\n`);
}
