import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { mintToken } from '../gateways/auth/mint-token.ts';
import { startBenchDatabase } from './database.ts';
import { readDoc, withSection } from './doc-sections.ts';
import { openLiveSockets } from './live-sockets.ts';
import { runLoad, type KindSpec } from './load.ts';
import { errorCount, memoryPoints, renderSoakSection, SOAK_SECTION, type MemorySample, type MinuteFigures, type SoakResults } from './soak-report.ts';
import { scrapeGauge, startServiceProcess } from './service-process.ts';
import { BENCH_SECRET } from './system.ts';

/*
 * `npm run bench:soak [-- --minutes 10 --rate 50 --sockets 200]`: `todo serve all` in its own process under
 * a steady mixed load (autocannon, a child process, one job per minute so each minute has its own
 * percentiles) with live-feed WebSockets open, its memory sampled every 10 s. Prints the section and
 * writes it into docs/benchmarks.md; exits 1 when anything failed. Bounded: the load stops after the given
 * minutes and a watchdog ends the run past them.
 */

const DOC = fileURLToPath(new URL('../docs/benchmarks.md', import.meta.url));
const RAW_DIR = new URL('../.cache/', import.meta.url);
const SAMPLE_SECONDS = 10;
const USERS = 10;
const CONNECTIONS = 8;

const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: process.env['SOAK_MINUTES'] ?? '10' },
    rate: { type: 'string', default: '50' },
    sockets: { type: 'string', default: '200' },
    'no-doc': { type: 'boolean', default: false },
  },
});
const minutes = Number(values.minutes);
const rate = Number(values.rate);
const socketCount = Number(values.sockets);
if (!Number.isInteger(minutes) || minutes < 2) throw new Error('--minutes must be a whole number, at least 2 (one is warm-up)');
if (!Number.isInteger(rate) || rate < 1) throw new Error('--rate must be a whole number of requests per second');
if (!Number.isInteger(socketCount) || socketCount < USERS) throw new Error(`--sockets must be a whole number, at least ${USERS}`);

const say = (text: string) => process.stderr.write(`[soak ${new Date().toISOString().slice(11, 19)}] ${text}\n`);
let cleanUp: () => Promise<void> = () => Promise.resolve();
setTimeout(() => {
  say('watchdog: the soak overran its bound; stopping');
  void Promise.race([cleanUp().catch(() => undefined), new Promise((resolve) => setTimeout(resolve, 30_000))]).then(() => process.exit(2));
}, (minutes + 5) * 60_000).unref();
// Interrupted, the soak still stops what it started (the service, its PostgreSQL, the temp folders).
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    say(`${signal}: stopping`);
    void cleanUp().finally(() => process.exit(130));
  });
}

async function main(): Promise<number> {
  const began = performance.now();
  const loadAtStart = loadavg()[0] ?? 0;
  say('starting a fresh embedded PostgreSQL');
  const database = await startBenchDatabase();
  const dataDir = await mkdtemp(join(tmpdir(), 'todo-soak-data-'));
  const stops: Array<() => Promise<void>> = [() => rm(dataDir, { recursive: true, force: true }), () => database.stop()];
  cleanUp = async () => { for (const stop of stops.splice(0)) await stop(); };
  try {
    say('starting todo serve all');
    const service = await startServiceProcess({ DATABASE_URL: database.url, AUTH_JWT_SECRET: BENCH_SECRET, DATA_DIR: dataDir, LOG_LEVEL: 'warn' });
    stops.unshift(() => service.stop());
    const users = Array.from({ length: USERS }, (_, index) => `soak-user-${index}`);
    const tokens = Object.fromEntries(await Promise.all(users.map(async (user) => [user, await mintToken({ secret: BENCH_SECRET, userId: user, expiresIn: '1d' })] as const)));
    const token = (user: string) => tokens[user] ?? '';

    // One task per user to read by id.
    const taskIds: Record<string, string> = {};
    for (const user of users) {
      const response = await fetch(`${service.baseUrl}/api/tasks`, {
        method: 'POST', headers: { authorization: `Bearer ${token(user)}`, 'content-type': 'application/json' }, body: JSON.stringify({ title: 'read me' }),
      });
      const body = await response.json() as { task_id?: string };
      if (response.status !== 201 || typeof body.task_id !== 'string') throw new Error(`creating a task answered ${response.status}`);
      taskIds[user] = body.task_id;
    }

    say(`opening ${socketCount} live-feed WebSockets`);
    const sockets = await openLiveSockets(service.baseUrl.replace(/^http/, 'ws'), socketCount, (index) => token(users[index % USERS] ?? ''));
    stops.unshift(() => sockets.close());

    const samples: MemorySample[] = [];
    let loadStarted = performance.now();
    const sample = async () => {
      const [rssBytes, heapUsedBytes, heapTotalBytes] = await Promise.all([
        service.rssBytes(), scrapeGauge(service.baseUrl, 'nodejs_heap_size_used_bytes'), scrapeGauge(service.baseUrl, 'nodejs_heap_size_total_bytes'),
      ]);
      samples.push({ atSeconds: (performance.now() - loadStarted) / 1000, rssBytes, heapUsedBytes, heapTotalBytes });
    };
    await sample();
    const sampler = setInterval(() => { sample().catch((error: unknown) => say(`sampling failed: ${String(error)}`)); }, SAMPLE_SECONDS * 1000);
    loadStarted = performance.now();

    const variants = (path: (user: string) => string) => users.map((user) => ({ path: path(user), user }));
    const kinds: KindSpec[] = [
      { kind: 'POST /api/tasks', method: 'POST', body: JSON.stringify({ title: 'soak', tags: ['soak'], priority: 'medium' }), variants: variants(() => '/api/tasks') },
      { kind: 'GET /api/tasks', method: 'GET', variants: variants(() => '/api/tasks?limit=20') },
      { kind: 'GET /api/tasks/{id}', method: 'GET', variants: variants((user) => `/api/tasks/${taskIds[user] ?? ''}`) },
      { kind: 'GET /api/tasks?status=open&sort=due', method: 'GET', variants: variants(() => '/api/tasks?status=open&sort=due&limit=20') },
      { kind: 'GET /api/tasks/count', method: 'GET', variants: variants(() => '/api/tasks/count?status=open') },
    ];
    const perMinute: MinuteFigures[] = [];
    try {
      for (let minute = 1; minute <= minutes; minute += 1) {
        const framesBefore = sockets.frames();
        const result = await runLoad({ url: service.baseUrl, connections: CONNECTIONS, seconds: 60, maxRequests: rate * 60, ratePerSecond: rate, tokens, kinds });
        const figures: MinuteFigures = {
          minute, responses: result.responses, p50: result.all.p50, p99: result.all.p99, max: result.all.max,
          non2xx: result.non2xx, errors: result.errors, timeouts: result.timeouts, framesReceived: sockets.frames() - framesBefore,
        };
        perMinute.push(figures);
        say(`minute ${minute}/${minutes}: ${figures.responses} responses, p50 ${figures.p50.toFixed(1)} ms, p99 ${figures.p99.toFixed(1)} ms, `
          + `errors ${figures.non2xx + figures.errors + figures.timeouts}, frames ${figures.framesReceived}, open sockets ${sockets.open()}`
          + `, RSS ${((samples.at(-1)?.rssBytes ?? 0) / 2 ** 20).toFixed(1)} MiB, heap ${((samples.at(-1)?.heapUsedBytes ?? 0) / 2 ** 20).toFixed(1)} MiB`);
      }
    } finally {
      clearInterval(sampler);
    }
    await sample();

    const results: SoakResults = {
      date: new Date().toISOString(), cores: availableParallelism(), minutes, warmupMinutes: 1, ratePerSecond: rate, connections: CONNECTIONS,
      sockets: socketCount, users: USERS, mix: kinds.map((kind) => kind.kind), samples, perMinute,
      framesReceived: sockets.frames(), unexpectedCloses: sockets.unexpectedCloses(), serviceErrorLines: service.errorLines().length,
      loadAverage: { start: loadAtStart, end: loadavg()[0] ?? 0 }, seconds: (performance.now() - began) / 1000,
    };
    // The raw figures too, for a look beyond the section (git-ignored).
    await mkdir(RAW_DIR, { recursive: true });
    await writeFile(new URL('soak-results.json', RAW_DIR), `${JSON.stringify(results, null, 2)}\n`);
    for (const line of service.errorLines().slice(0, 5)) say(`service error: ${line}`);
    const section = renderSoakSection(results);
    process.stdout.write(`${section}\n`);
    if (!values['no-doc']) {
      await writeFile(DOC, withSection(readDoc(DOC), SOAK_SECTION, section));
      say(`wrote the Soak section of ${DOC}`);
    }
    const { warm, end } = memoryPoints(results);
    say(`RSS growth after warm-up ${((end.rssBytes - warm.rssBytes) / 2 ** 20).toFixed(1)} MiB; errors ${errorCount(results)}`);
    return errorCount(results) === 0 ? 0 : 1;
  } finally {
    await cleanUp();
  }
}

main().then((code) => { process.exitCode = code; }, (error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
