import type { TestProject } from 'vitest/node';
import { runEnsureScript } from './run-ensure-script.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The Chromium the browser tests drive, or why there is none. */
    chromium: { readonly path: string } | { readonly problem: string };
  }
}

/**
 * Once per run, before any test file: Chromium is found, or installed (as root, Debian's `chromium` package)
 * by scripts/ensure-chromium.sh, which says what it does on stderr. Browser downloads (`npx playwright
 * install`) are not possible everywhere this runs. When it cannot be had, the browser tests fail with the
 * script's explanation.
 */
export default async function setup(project: TestProject): Promise<void> {
  const { out, problem } = await runEnsureScript('ensure-chromium.sh');
  const path = out.trim().split('\n').pop() ?? '';
  project.provide('chromium', problem === null && path ? { path } : { problem: problem ?? 'scripts/ensure-chromium.sh named no Chromium' });
}
