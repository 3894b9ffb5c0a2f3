import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { afterAll, inject } from 'vitest';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startTestSystem, type TestSystem } from '../../../test/support/test-system.ts';
import { CHROMIUM_FLAGS } from '../../../test/support/chromium-flags.ts';

/*
 * The browser tests' world: a real system on a socket (serving web/dist, built once per run by the global
 * setup) and a real Chromium — Debian's, found or installed by scripts/ensure-chromium.sh — one per test
 * file, a fresh context per person.
 */


export interface BrowserWorld {
  readonly system: TestSystem;
  readonly browser: Browser;
  /** A signed-in context for `user` (its token in storage, as the sign-in page leaves it) and a page on `path`. */
  signedIn(user: string, options?: ContextOptions & { path?: string; admin?: boolean }): Promise<{ context: BrowserContext; page: Page }>;
  /** A context with no one signed in. */
  anonymous(options?: ContextOptions): Promise<{ context: BrowserContext; page: Page }>;
}

export interface ContextOptions {
  readonly width?: number;
  readonly colorScheme?: 'light' | 'dark';
}

export async function startBrowserWorld(env: Record<string, string> = {}): Promise<BrowserWorld> {
  const found = inject('chromium');
  if ('problem' in found) throw new Error(`Chromium is needed for the browser tests and could not be had:\n${found.problem}`);
  const system = await startTestSystem({ knownOrigin: true, env });
  const browser = await chromium.launch({ executablePath: found.path, args: CHROMIUM_FLAGS });
  afterAll(() => browser.close());

  const context = async (options: ContextOptions = {}) => {
    const created = await browser.newContext({
      baseURL: system.baseUrl,
      viewport: { width: options.width ?? 1280, height: 800 },
      colorScheme: options.colorScheme ?? 'light',
      locale: 'en-US',
      timezoneId: 'Europe/Berlin',
    });
    // Not a time limit on the app: only how long a hung wait may take on a machine busy with the whole suite.
    created.setDefaultTimeout(90_000);
    return created;
  };
  return {
    system, browser,
    async signedIn(user, options = {}) {
      const ctx = await context(options);
      const token = await system.token(user, { ...(options.admin ? { admin: true } : {}), email: `${user}@example.com` });
      await ctx.addInitScript(([key, value]) => {
        if (!localStorage.getItem(key)) localStorage.setItem(key, value);
      }, ['todo.token', token] as const);
      const page = await ctx.newPage();
      await page.goto(options.path ?? '/');
      await page.getByTestId('connection').and(page.locator('[data-state="live"]')).waitFor();
      return { context: ctx, page };
    },
    async anonymous(options = {}) {
      const ctx = await context(options);
      const page = await ctx.newPage();
      return { context: ctx, page };
    },
  };
}

const require = createRequire(import.meta.url);
let axeSource: Promise<string> | undefined;

export interface AxeViolation { readonly id: string; readonly impact: string | null; readonly help: string; readonly nodes: ReadonlyArray<{ readonly target: readonly unknown[] }> }

declare global {
  interface Window { axe?: { run(context: Document, options: unknown): Promise<{ violations: AxeViolation[] }> } }
}

/** axe-core, injected into the page: the serious and critical violations it finds. */
export async function seriousViolations(page: Page): Promise<string[]> {
  axeSource ??= readFile(require.resolve('axe-core/axe.min.js'), 'utf8');
  await page.addScriptTag({ content: await axeSource });
  const violations = await page.evaluate(async () => {
    if (!window.axe) throw new Error('axe-core did not load');
    const result = await window.axe.run(document, { resultTypes: ['violations'] });
    return result.violations;
  });
  return violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.impact ?? ''} ${violation.id}: ${violation.help} (${violation.nodes.map((node) => JSON.stringify(node.target)).join(', ')})`);
}
