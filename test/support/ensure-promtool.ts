import { spawnSync } from 'node:child_process';
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
export default function setup(project: TestProject): void {
  const run = spawnSync(SCRIPT, { stdio: ['ignore', 'inherit', 'pipe'], encoding: 'utf8' });
  process.stderr.write(run.stderr);
  const problem = run.status === 0 ? null : (run.stderr.trim() || run.error?.message || `${SCRIPT} exited with ${String(run.status)}`);
  project.provide('promtoolProblem', problem);
}
