import { copyFile, mkdir, readdir, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Logger } from 'pino';
import { BACKUP_FORMAT_VERSION, BackupFormat, DATA_DIR_FILES, type BackupManifest } from '../../contracts/backup-manifest.ts';
import { pgTools } from '../../gateways/postgres/pg-tools.ts';
import { logSummary, type LogSummary } from '../../write-side/event-store/log-order.sql.ts';
import { loadConfig } from '../config.ts';
import { connectDatabase } from '../database.ts';
import { secondsSince, serverVersion, sizeOnDisk } from './server-facts.ts';

export const BACKUP_USAGE = `  backup --to DIR [--format logical|physical]
                                          write a backup of the database and of what DATA_DIR holds for it
                                          (logical: pg_dump, the default; physical: pg_basebackup)
`;

/** Where the parts of a backup go inside its folder. */
export const LOGICAL_PART = 'database';
export const PHYSICAL_PART = 'postgres';
export const DATA_DIR_PART = 'data-dir';

function parse(args: string[]) {
  const { values } = parseArgs({ args, options: { to: { type: 'string' }, format: { type: 'string', default: 'logical' } } });
  if (!values.to) throw new Error(`todo backup: --to DIR is required\nusage: todo ${BACKUP_USAGE.trim()}`);
  const format = BackupFormat.safeParse(values.format);
  if (!format.success) throw new Error(`todo backup: --format is logical or physical, not "${values.format}"`);
  return { to: resolve(values.to), format: format.data };
}

/**
 * `todo backup`: the database (of DATABASE_URL, or the embedded one of DATA_DIR: the running instance's, or
 * started for the command) with PostgreSQL's own tools at the server's major, the DATA_DIR files a restore
 * needs, and a manifest saying what it holds.
 */
export async function backupCommand(args: string[], logger: Logger): Promise<void> {
  const { to, format } = parse(args);
  if (existsSync(to) && (await readdir(to)).length > 0) throw new Error(`todo backup: ${to} is not empty; back up into a new folder`);
  const started = performance.now();
  const config = loadConfig();
  const database = await connectDatabase(config, logger);
  try {
    const version = await serverVersion(database.db);
    const tools = await pgTools(version.major);
    await mkdir(to, { recursive: true, mode: 0o700 });
    const session = await database.db.connect();
    let log: LogSummary;
    try {
      // The manifest describes exactly what the dump holds: both read one exported snapshot.
      await session.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      log = await logSummary({ query: async <R extends object>(text: string) => ({ rows: (await session.query(text)).rows as R[], rowCount: null }) });
      if (format === 'logical') {
        const snapshot = (await session.query<{ id: string }>('SELECT pg_export_snapshot() AS id')).rows[0]?.id ?? '';
        await tools.run('pg_dump', [
          '--format=directory', '--no-owner', '--no-privileges', `--snapshot=${snapshot}`,
          `--file=${join(to, LOGICAL_PART)}`, `--dbname=${database.db.url}`,
        ]);
      }
      await session.query('COMMIT');
    } finally {
      session.release();
    }
    if (format === 'physical') {
      await tools.run('pg_basebackup', [
        `--dbname=${database.db.url}`, `--pgdata=${join(to, PHYSICAL_PART)}`, '--format=plain', '--wal-method=stream',
        '--checkpoint=fast', '--no-password',
      ]);
    }
    const copied: Array<(typeof DATA_DIR_FILES)[number]> = [];
    for (const file of DATA_DIR_FILES) {
      if (!existsSync(join(config.DATA_DIR, file))) continue;
      await mkdir(join(to, DATA_DIR_PART), { recursive: true, mode: 0o700 });
      await copyFile(join(config.DATA_DIR, file), join(to, DATA_DIR_PART, file));
      copied.push(file);
    }
    const manifest: BackupManifest = {
      format,
      format_version: BACKUP_FORMAT_VERSION,
      server_version: version.version,
      server_version_num: version.num,
      tools_major: tools.major,
      source: database.embedded ? 'embedded' : 'external',
      created_at: new Date().toISOString(),
      log_head: log.head,
      event_count: log.count,
      database: format === 'logical' ? LOGICAL_PART : PHYSICAL_PART,
      data_dir_files: copied,
      duration_seconds: secondsSince(started),
      size_bytes: await sizeOnDisk(to),
    };
    await writeFile(join(to, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`, { mode: 0o600 });
    process.stdout.write(`todo backup: ${format} backup of ${log.count} events (PostgreSQL ${version.version}) in ${to}: `
      + `${(manifest.size_bytes / 1_048_576).toFixed(1)} MiB in ${manifest.duration_seconds} s\n`);
  } finally {
    await database.close();
  }
}
