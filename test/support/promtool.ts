import { spawn } from 'node:child_process';

export interface ToolRun { readonly code: number | null; readonly output: string }

/**
 * Runs `promtool` (Debian package `prometheus`) with `input` on stdin. A missing promtool is an error, never
 * a skip: the checks it makes are part of the suite.
 */
export function promtool(args: readonly string[], input?: string): Promise<ToolRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.env['PROMTOOL'] ?? 'promtool', args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => { output += chunk.toString('utf8'); });
    child.stderr.on('data', (chunk: Buffer) => { output += chunk.toString('utf8'); });
    child.once('error', (error) => reject(new Error(`promtool could not run (${error.message}); install it: apt-get install -y prometheus`)));
    child.once('close', (code) => resolve({ code, output }));
    child.stdin.end(input ?? '');
  });
}
