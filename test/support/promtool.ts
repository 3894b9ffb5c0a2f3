import { spawn } from 'node:child_process';
import { inject } from 'vitest';

export interface ToolRun { readonly code: number | null; readonly output: string }

/**
 * Runs `promtool` with `input` on stdin. The suite's global setup (ensure-promtool.ts) has found or
 * installed it; when it could not, this fails with its explanation. A missing promtool is an error, never
 * a skip: the checks it makes are part of the suite.
 */
export function promtool(args: readonly string[], input?: string): Promise<ToolRun> {
  const problem = inject('promtoolProblem');
  if (problem !== null) return Promise.reject(new Error(`promtool is not available:\n${problem}`));
  return new Promise((resolve, reject) => {
    const child = spawn(process.env['PROMTOOL'] ?? 'promtool', args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => { output += chunk.toString('utf8'); });
    child.stderr.on('data', (chunk: Buffer) => { output += chunk.toString('utf8'); });
    child.once('error', (error) => reject(new Error(`promtool could not run (${error.message}); see scripts/ensure-promtool.sh`)));
    child.once('close', (code) => resolve({ code, output }));
    child.stdin.end(input ?? '');
  });
}
