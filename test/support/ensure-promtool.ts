import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Why promtool cannot run on this machine, or null when it can. */
    promtoolProblem: string | null;
  }
}

const SCRIPT = fileURLToPath(new URL('../../scripts/ensure-promtool.sh', import.meta.url));

/**
 * Once per run, before any test file: promtool is found, or installed (as root, Debian's `prometheus`
 * package) by scripts/ensure-promtool.sh, which says what it does on stderr. Doing it here rather than in
 * the monitoring tests keeps parallel test files from racing to install it. When it cannot be had, the run
 * goes on and the tests that call promtool fail with the script's explanation.
 */
export default async function setup(project: TestProject): Promise<void> {
  const child = spawn(SCRIPT, { stdio: ['ignore', 'inherit', 'pipe'] });
  let said = '';
  // Shown as it happens (an install takes a while), and kept as the explanation should it fail.
  child.stderr.on('data', (chunk: Buffer) => {
    process.stderr.write(chunk);
    said += chunk.toString('utf8');
  });
  const outcome = await new Promise<number | Error | null>((resolve) => {
    child.once('error', resolve);
    child.once('close', resolve);
  });
  const problem = outcome === 0 ? null : said.trim() || (outcome instanceof Error ? outcome.message : `${SCRIPT} exited with ${String(outcome)}`);
  project.provide('promtoolProblem', problem);
}
