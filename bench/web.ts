import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { buildWebApp } from '../web/build.ts';
import { startBenchDatabase } from './database.ts';
import { startBenchSystem, waitForProjectors } from './system.ts';

/*
 * `npm run bench:web`: the web app's budgets (docs/adr/0021-web-app.md). (1) The JavaScript the first page
 * loads, gzipped (budget 150 KB). (2) The task list's time to interactive on loopback for a person with
 * 10,000 tasks (budget 1 s): from navigation start until the first page of tasks is shown and the quick-add
 * field takes input, median of 5 cold loads in Debian's Chromium. Only 127.0.0.1 is contacted; every loop
 * is bounded.
 */

const DIST = fileURLToPath(new URL('../web/dist/', import.meta.url));
const TASKS = 10_000;
const LOADS = 5;
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** The files index.html makes the browser fetch at once: its module script and what it preloads. */
async function firstPageAssets(): Promise<{ js: string[]; css: string[] }> {
  const html = await readFile(join(DIST, 'index.html'), 'utf8');
  const refs = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+)"/g)].map((match) => match[1] ?? '');
  return { js: refs.filter((ref) => ref.endsWith('.js')), css: refs.filter((ref) => ref.endsWith('.css')) };
}

async function gzipKb(files: string[]): Promise<{ raw: number; gzip: number }> {
  let raw = 0;
  let gzip = 0;
  for (const file of files) {
    const bytes = await readFile(join(DIST, file));
    raw += bytes.length;
    gzip += gzipSync(bytes, { level: 9 }).length;
  }
  return { raw: raw / 1024, gzip: gzip / 1024 };
}

async function timeToInteractive(baseUrl: string, token: string): Promise<number[]> {
  const executablePath = execFileSync(fileURLToPath(new URL('../scripts/ensure-chromium.sh', import.meta.url)), { encoding: 'utf8' }).trim().split('\n').pop() ?? 'chromium';
  const browser = await chromium.launch({ executablePath, args: FLAGS });
  const times: number[] = [];
  try {
    for (let load = 0; load < LOADS; load++) {
      const context = await browser.newContext({ baseURL: baseUrl });
      await context.addInitScript((value) => localStorage.setItem('todo.token', value), token);
      const page = await context.newPage();
      await page.goto('/', { timeout: 30_000 });
      await page.getByTestId('task-row').first().waitFor({ timeout: 30_000 });
      await page.getByLabel('New task').waitFor({ state: 'visible', timeout: 30_000 });
      times.push(await page.evaluate(() => performance.now()));
      await context.close();
    }
  } finally {
    await browser.close();
  }
  return times;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;

async function main(): Promise<void> {
  await buildWebApp({ quiet: true });
  const assets = await firstPageAssets();
  const js = await gzipKb(assets.js);
  const css = await gzipKb(assets.css);
  process.stdout.write(`first page JavaScript: ${js.gzip.toFixed(1)} KB gzip (${js.raw.toFixed(1)} KB raw; budget 150 KB gzip)\n`);
  process.stdout.write(`first page CSS: ${css.gzip.toFixed(1)} KB gzip\n`);

  const database = await startBenchDatabase();
  const bench = await startBenchSystem(database.url);
  try {
    const token = await bench.token('bench-web');
    const started = performance.now();
    let next = 0;
    const worker = async () => {
      while (next < TASKS) {
        const index = next++;
        const response = await fetch(`${bench.baseUrl}/api/tasks`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ title: `Task ${index}`, priority: (['none', 'low', 'medium', 'high', 'urgent'] as const)[index % 5], tags: [`tag${index % 20}`] }),
        });
        if (response.status !== 201) throw new Error(`creating task ${index}: ${response.status}`);
      }
    };
    await Promise.all(Array.from({ length: 16 }, worker));
    await waitForProjectors(bench, 120);
    process.stderr.write(`bench:web: ${TASKS} tasks created in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
    const times = await timeToInteractive(bench.baseUrl, token);
    process.stdout.write(`list page interactive with ${TASKS} tasks: median ${median(times).toFixed(0)} ms over ${LOADS} cold loads (${times.map((t) => t.toFixed(0)).join(', ')} ms; budget 1000 ms)\n`);
  } finally {
    await bench.close();
    await database.stop();
  }
}

await main();
