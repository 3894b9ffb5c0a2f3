import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * One scratch folder per test run, removed when the run ends: every folder a test, the embedded servers
 * or a spawned `todo` process makes under the system's temporary directory lands in it (TMPDIR is
 * inherited by the workers and their children), so a run leaves nothing behind in /tmp, whatever a
 * test's own clean-up forgets or a killed process could not do.
 */
export default async function setup(): Promise<() => Promise<void>> {
  const scratch = await mkdtemp(join(tmpdir(), 'todo-tests-'));
  // Embedded PostgreSQL runs as the postgres user when the tests run as root: it must reach its folders.
  await chmod(scratch, 0o755);
  const previous = process.env['TMPDIR'];
  process.env['TMPDIR'] = scratch;
  return async () => {
    if (previous === undefined) delete process.env['TMPDIR'];
    else process.env['TMPDIR'] = previous;
    await rm(scratch, { recursive: true, force: true });
  };
}
