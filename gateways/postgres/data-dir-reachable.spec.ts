import { chmod, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { assertPostgresUserCanReach, blockedDirectories, DataDirUnreachableError } from './data-dir-reachable.ts';

const made: string[] = [];
async function privateFolder(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'todo-reach-')); // mode 0700, ours
  made.push(dir);
  return dir;
}
afterAll(async () => { for (const dir of made) await rm(dir, { recursive: true, force: true }); });

const ROOT_USER = { uid: 0, gid: 0 };
const POSTGRES = { uid: 101, gid: 104 };

/** A file system of directories: path → mode and owner. */
function tree(entries: Record<string, { mode: number; uid?: number; gid?: number }>) {
  return (path: string) => {
    const entry = entries[path];
    return entry ? { mode: entry.mode, uid: entry.uid ?? 0, gid: entry.gid ?? 0 } : null;
  };
}

describe('the directories a user may not pass on the way to DATA_DIR', () => {
  const fs = tree({
    '/': { mode: 0o755 },
    '/root': { mode: 0o700 },
    '/root/todo': { mode: 0o755 },
    '/var': { mode: 0o755 },
    '/var/lib': { mode: 0o755 },
    '/srv': { mode: 0o750, gid: 104 },
    '/home': { mode: 0o755 },
    '/home/pg': { mode: 0o700, uid: 101 },
  });

  it('are those without search permission for the user, from the root down', () => {
    expect(blockedDirectories('/root/todo/.data', POSTGRES, fs)).toEqual(['/root']);
  });

  it('are none on a path open to everyone, such as /var/lib/todo (not created yet)', () => {
    expect(blockedDirectories('/var/lib/todo', POSTGRES, fs)).toEqual([]);
  });

  it('are judged by the owner bits for the owner and the group bits for the group', () => {
    expect(blockedDirectories('/home/pg/data', POSTGRES, fs)).toEqual([]);
    expect(blockedDirectories('/srv/data', POSTGRES, fs)).toEqual([]);
    expect(blockedDirectories('/srv/data', { uid: 200, gid: 200 }, fs)).toEqual(['/srv']);
  });

  it('are none for root', () => {
    expect(blockedDirectories('/root/todo/.data', ROOT_USER, fs)).toEqual([]);
  });

  it('are read from the real file system: a private folder blocks another user until it is opened for passage', async () => {
    const privateDir = await privateFolder();
    const dataDir = join(privateDir, 'data');
    await mkdir(dataDir);
    const stranger = { uid: 999_999, gid: 999_999 };
    expect(blockedDirectories(dataDir, stranger)).toEqual([privateDir]);
    await chmod(privateDir, 0o711);
    expect(blockedDirectories(dataDir, stranger)).toEqual([]);
  });
});

describe('starting the embedded PostgreSQL in a DATA_DIR its system user cannot reach', () => {
  it('is refused as root before PostgreSQL runs, with the reason and both ways out', async () => {
    const privateDir = await privateFolder();
    const dataDir = join(privateDir, '.data');
    const refusal = assertPostgresUserCanReach(dataDir, { runningAsRoot: true });
    await expect(refusal).rejects.toBeInstanceOf(DataDirUnreachableError);
    await expect(refusal).rejects.toThrow(
      `DATA_DIR ${dataDir} cannot hold the embedded PostgreSQL: as root, Todo runs PostgreSQL as the system user "postgres" ` +
        `(PostgreSQL refuses to run as root), and that user may not enter ${privateDir}.`,
    );
    await expect(refusal).rejects.toThrow(/use a DATA_DIR that user can reach, e\.g\. DATA_DIR=\/var\/lib\/todo/);
    await expect(refusal).rejects.toThrow(`chmod o+x ${privateDir}`);
  });

  it('is not checked when not root: PostgreSQL then runs as the user that owns DATA_DIR', async () => {
    const privateDir = await privateFolder();
    await expect(assertPostgresUserCanReach(join(privateDir, '.data'), { runningAsRoot: false })).resolves.toBeUndefined();
  });
});
