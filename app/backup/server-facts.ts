import { execFile } from 'node:child_process';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Queryable } from '../../contracts/ports/sql.ts';

export interface ServerVersion { readonly version: string; readonly num: number; readonly major: number }

export async function serverVersion(db: Queryable): Promise<ServerVersion> {
  const result = await db.query<{ version: string; num: string }>(
    "SELECT current_setting('server_version') AS version, current_setting('server_version_num') AS num");
  const row = result.rows[0];
  if (!row) throw new Error('the server did not report its version');
  const num = Number.parseInt(row.num, 10);
  return { version: row.version, num, major: Math.floor(num / 10_000) };
}

export async function sizeOnDisk(path: string): Promise<number> {
  const info = await stat(path);
  if (!info.isDirectory()) return info.size;
  let total = 0;
  for (const entry of await readdir(path)) total += await sizeOnDisk(join(path, entry));
  return total;
}

/** Seconds since `started` (a performance.now() reading), to a tenth. */
export const secondsSince = (started: number): number => Math.round((performance.now() - started) / 100) / 10;

const exec = promisify(execFile);

/**
 * As root the embedded PostgreSQL runs as the `postgres` system user (created on first use); files put
 * into its cluster folder by hand must be that user's, as initdb's would be.
 */
export async function giveToPostgresUser(path: string): Promise<void> {
  if (process.getuid?.() !== 0) return;
  try {
    await exec('id', ['-u', 'postgres']);
  } catch {
    await exec('groupadd', ['-f', 'postgres']);
    await exec('useradd', ['-g', 'postgres', 'postgres']);
  }
  await exec('chown', ['-R', 'postgres:postgres', path]);
}
