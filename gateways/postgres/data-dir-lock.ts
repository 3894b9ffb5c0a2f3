import { mkdir, open, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { processStartedAt } from './process-identity.ts';

export class DataDirInUseError extends Error {
  readonly dataDir: string;
  readonly pid: number;
  constructor(dataDir: string, pid: number) {
    super(
      `DATA_DIR ${dataDir} is in use by another Todo process (pid ${pid}). ` +
        'Stop that process, or start this one with another DATA_DIR (or with DATABASE_URL).',
    );
    this.name = 'DataDirInUseError';
    this.dataDir = dataDir;
    this.pid = pid;
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else — still alive.
    return typeof error === 'object' && error !== null && 'code' in error && error.code === 'EPERM';
  }
}

export interface DataDirLock { readonly path: string; release(): Promise<void> }

/** Whole seconds of /proc's boot time, and file times, make start times this uncertain. */
const START_TIME_SLACK_MS = 1500;

/**
 * The pid of the lock's holder if it still runs, else null. A live process under the pid that started after
 * the lock was written only inherited the number (the lock's writer is gone): the lock is stale. Where /proc
 * cannot tell, a live pid counts as the holder.
 */
async function runningHolder(path: string): Promise<number | null> {
  const pid = Number.parseInt(await readFile(path, 'utf8').catch(() => ''), 10);
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid || !isAlive(pid)) return null;
  const [written, started] = await Promise.all([stat(path).then((file) => file.mtimeMs, () => null), processStartedAt(pid)]);
  if (written === null || started === null) return pid;
  return started.getTime() > written + START_TIME_SLACK_MS ? null : pid;
}

/**
 * One data folder belongs to one running instance. The lock is a pid file created exclusively; a lock left
 * by a process that no longer runs (killed, crashed), or whose pid now names a process started after the
 * lock was written, is taken over.
 */
export async function lockDataDir(dataDir: string): Promise<DataDirLock> {
  await mkdir(dataDir, { recursive: true });
  const path = join(dataDir, 'todo.lock');
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const handle = await open(path, 'wx', 0o600);
      await handle.writeFile(`${process.pid}\n`);
      await handle.close();
      return {
        path,
        async release() {
          const owner = await readFile(path, 'utf8').catch(() => '');
          if (Number.parseInt(owner, 10) === process.pid) await rm(path, { force: true });
        },
      };
    } catch (error) {
      if (!(typeof error === 'object' && error !== null && 'code' in error && error.code === 'EEXIST')) throw error;
      const holder = await runningHolder(path);
      if (holder !== null) throw new DataDirInUseError(dataDir, holder);
      await rm(path, { force: true });
    }
  }
  throw new Error(`could not lock ${path}`);
}

export async function writeFileIfAbsent(path: string, content: () => string): Promise<string> {
  try {
    return (await readFile(path, 'utf8')).trim();
  } catch {
    const value = content();
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, `${value}\n`, { mode: 0o600 });
    return value;
  }
}
