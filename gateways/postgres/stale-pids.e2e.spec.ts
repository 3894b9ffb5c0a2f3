import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, readFile, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DataDirInUseError, isAlive, lockDataDir } from './data-dir-lock.ts';
import { stopOrphanedPostmaster } from './embedded.ts';

const started: ChildProcess[] = [];
afterEach(() => { for (const child of started.splice(0)) if (child.pid !== undefined && isAlive(child.pid)) process.kill(child.pid, 'SIGKILL'); });

/** A live process that is not Todo's: a pid a stale file may name after the number was reused. */
async function bystander(argv0 = 'sleep', args: string[] = []): Promise<number> {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)', '--', ...args], { argv0, stdio: 'ignore' });
  started.push(child);
  await new Promise<void>((resolve, reject) => { child.once('spawn', resolve); child.once('error', reject); });
  if (child.pid === undefined) throw new Error('no pid');
  return child.pid;
}

const exited = (pid: number) => new Promise<void>((resolve) => {
  const child = started.find((candidate) => candidate.pid === pid);
  if (!child || child.exitCode !== null || child.signalCode !== null) resolve();
  else child.once('exit', () => resolve());
});

describe('a stale postmaster.pid at start-up', () => {
  it('never signals a process that is not this cluster\'s postgres', async () => {
    const cluster = join(await mkdtemp(join(tmpdir(), 'todo-stale-')), 'postgres');
    await mkdir(cluster);
    const other = await bystander();
    const elsewhere = await bystander('postgres', ['-D', join(tmpdir(), 'another-cluster')]);
    for (const pid of [other, elsewhere]) {
      await writeFile(join(cluster, 'postmaster.pid'), `${pid}\n${cluster}\n`);
      await stopOrphanedPostmaster(cluster);
      expect(isAlive(pid)).toBe(true);
    }
  });

  it('stops an orphaned postgres of this very cluster', async () => {
    const cluster = join(await mkdtemp(join(tmpdir(), 'todo-stale-')), 'postgres');
    await mkdir(cluster);
    const orphan = await bystander('postgres', ['-D', cluster, '-p', '5432']);
    await writeFile(join(cluster, 'postmaster.pid'), `${orphan}\n${cluster}\n`);
    await stopOrphanedPostmaster(cluster);
    await exited(orphan);
    expect(isAlive(orphan)).toBe(false);
  });
});

describe('a stale todo.lock at start-up', () => {
  it('is taken over when its pid now names another, live process', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'todo-lock-'));
    const other = await bystander();
    // Written an hour ago by a Todo that ran under this pid before.
    const path = join(dir, 'todo.lock');
    await writeFile(path, `${other}\n`);
    const anHourAgo = new Date(Date.now() - 3_600_000);
    await utimes(path, anHourAgo, anHourAgo);
    const lock = await lockDataDir(dir);
    expect((await readFile(lock.path, 'utf8')).split('\n')[0]).toBe(String(process.pid));
    await lock.release();
  });

  it('still refuses a holder that is the process that wrote it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'todo-lock-'));
    const holder = await bystander();
    await writeFile(join(dir, 'todo.lock'), `${holder}\n`);
    await expect(lockDataDir(dir)).rejects.toBeInstanceOf(DataDirInUseError);
  });
});
