import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ENSURE_SCRIPT = fileURLToPath(new URL('../../scripts/ensure-pg-tools.sh', import.meta.url));

export type PgTool = 'pg_dump' | 'pg_restore' | 'pg_basebackup';

export interface PgTools {
  readonly major: number;
  run(tool: PgTool, args: readonly string[]): Promise<void>;
}

/** What a program printed on stderr and how it ended, kept for the error should it fail. */
async function runProgram(path: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(path, args, { stdio: ['ignore', 'pipe', 'pipe'], env });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString('utf8'); });
  child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString('utf8'); });
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', resolve);
  });
  return { code, stdout, stderr };
}

/**
 * PostgreSQL's client tools of `major`, obtained by scripts/ensure-pg-tools.sh (pinned builds, cached in
 * the repository's .cache/). A dump must be taken by a pg_dump at least as new as the server, so callers
 * pass the major the server reports.
 */
export async function pgTools(major: number): Promise<PgTools> {
  const ensured = await runProgram(ENSURE_SCRIPT, [String(major)]);
  if (ensured.code !== 0) throw new Error(`PostgreSQL ${major}'s client tools are not available: ${ensured.stderr.trim()}`);
  const bin = ensured.stdout.trim().split('\n').at(-1) ?? '';
  return {
    major,
    async run(tool, args) {
      // Passwords go in the connection URL; PGPASSWORD from the caller's shell must not override it.
      const { PGPASSWORD: _ignored, ...env } = process.env;
      const result = await runProgram(join(bin, tool), args, env);
      if (result.code !== 0) throw new Error(`${tool} failed (exit ${String(result.code)}): ${result.stderr.trim()}`);
    },
  };
}
