import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataDirInUseError, lockDataDir } from './data-dir-lock.ts';

describe('the data-folder lock', () => {
  it('refuses a second holder with a message that says what to do', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'todo-lock-'));
    const first = await lockDataDir(dir);
    // Our own pid would be taken as stale; pid 1 is always alive.
    await writeFile(first.path, '1\n');
    const second = lockDataDir(dir);
    await expect(second).rejects.toBeInstanceOf(DataDirInUseError);
    await expect(second).rejects.toThrow(/in use by another Todo process \(pid 1\).*another DATA_DIR/);
  });

  it('takes over a lock left by a process that no longer runs, and releases it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'todo-lock-'));
    await writeFile(join(dir, 'todo.lock'), '2147483646\n');
    const lock = await lockDataDir(dir);
    expect((await readFile(lock.path, 'utf8')).trim()).toBe(String(process.pid));
    await lock.release();
    await expect(readFile(lock.path, 'utf8')).rejects.toThrow();
  });
});
