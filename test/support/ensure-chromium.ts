import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The Chromium the browser tests drive, or why there is none. */
    chromium: { readonly path: string } | { readonly problem: string };
  }
}

const SCRIPT = fileURLToPath(new URL('../../scripts/ensure-chromium.sh', import.meta.url));

/**
 * Once per run, before any test file: Chromium is found, or installed (as root, Debian's `chromium` package)
 * by scripts/ensure-chromium.sh, which says what it does on stderr. Browser downloads (`npx playwright
 * install`) are not possible everywhere this runs. When it cannot be had, the browser tests fail with the
 * script's explanation.
 */
export default async function setup(project: TestProject): Promise<void> {
  const child = spawn(SCRIPT, { stdio: ['ignore', 'pipe', 'pipe'] });
  let said = '';
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => { out += chunk.toString('utf8'); });
  child.stderr.on('data', (chunk: Buffer) => {
    process.stderr.write(chunk);
    said += chunk.toString('utf8');
  });
  const outcome = await new Promise<number | Error | null>((resolve) => {
    child.once('error', resolve);
    child.once('close', resolve);
  });
  const path = out.trim().split('\n').pop() ?? '';
  project.provide('chromium', outcome === 0 && path
    ? { path }
    : { problem: said.trim() || (outcome instanceof Error ? outcome.message : `${SCRIPT} exited with ${String(outcome)}`) });
}
