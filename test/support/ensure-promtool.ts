import type { TestProject } from 'vitest/node';
import { runEnsureScript } from './run-ensure-script.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Why promtool cannot run on this machine, or null when it can. */
    promtoolProblem: string | null;
  }
}

/**
 * Once per run, before any test file: promtool is found, or installed (as root, Debian's `prometheus`
 * package) by scripts/ensure-promtool.sh, which says what it does on stderr. Doing it here rather than in
 * the monitoring tests keeps parallel test files from racing to install it. When it cannot be had, the run
 * goes on and the tests that call promtool fail with the script's explanation.
 */
export default async function setup(project: TestProject): Promise<void> {
  // Its stdout (the version it found) is shown too; promtool itself is run from PATH (or PROMTOOL).
  const { out, problem } = await runEnsureScript('ensure-promtool.sh');
  process.stdout.write(out);
  project.provide('promtoolProblem', problem);
}
