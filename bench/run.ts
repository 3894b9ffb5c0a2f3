import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { createDb } from '../gateways/postgres/db.ts';
import { measureAppendThroughput } from './append-throughput.ts';
import { bulkLoadEvents } from './bulk-load.ts';
import { startBenchDatabase } from './database.ts';
import { measureFreshness } from './freshness.ts';
import { CREATE_USER, measureHttpCreate } from './http-create.ts';
import { measureListLatency } from './list-latency.ts';
import { describeMachine } from './machine.ts';
import { measureRebuild } from './rebuild.ts';
import { renderMarkdown, renderTable, type BenchResults, type PhaseLoad } from './report.ts';
import { BENCH_POOL_MAX, startBenchSystem, waitForProjectors } from './system.ts';
import { cpuShare, sampleCpu } from './cpu-share.ts';
import { carrySections, readDoc } from './doc-sections.ts';
import { onlyNames, runExtraPhases, selectedPhases } from './extra-phases.ts';
import { LIVE_PHASES, measureLiveCost, runOnly } from './live-cost.ts';

/*
 * `npm run bench`: every figure in one run against a fresh embedded PostgreSQL, ~4–5 minutes on 2 cores.
 * Prints the summary table and writes docs/benchmarks.md. Only 127.0.0.1 is contacted; every loop is
 * bounded in count and in time. `--only core,rebuild,million,relay,transport` runs some phases alone (core: the
 * figures above; the others: bench/extra-phases.ts).
 */

const DOC = fileURLToPath(new URL('../docs/benchmarks.md', import.meta.url));
const selected = selectedPhases(process.argv.slice(2), ['core', ...LIVE_PHASES]);
/** The whole run's hard bound: past it the bench stops its PostgreSQL and exits, whatever it was doing. */
const WATCHDOG_MINUTES = (selected.core ? 15 : 0) + (selected.extra.length > 0 ? 75 : 0);
const started = performance.now();
const marks: Array<{ readonly phase: string; readonly at: number; readonly loadAverage: number; readonly cpuPressure: number | null; readonly cpu: ReturnType<typeof sampleCpu> }> = [];

/** Linux PSI: the share of the last 60 s in which some runnable task waited for a CPU (null elsewhere). */
function cpuPressure(): number | null {
  try {
    const match = /^some avg10=[\d.]+ avg60=([\d.]+)/m.exec(readFileSync('/proc/pressure/cpu', 'utf8'));
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
}

/** Logs the phase and notes the machine's load as it starts: other work on the box shows here. */
function phase(name: string): void {
  const [one = 0] = loadavg();
  const pressure = cpuPressure();
  marks.push({ phase: name, at: performance.now(), loadAverage: one, cpuPressure: pressure, cpu: sampleCpu() });
  const pressureText = pressure === null ? '' : `, CPU pressure ${pressure.toFixed(0)} %`;
  process.stderr.write(`[bench ${((performance.now() - started) / 1000).toFixed(0).padStart(3)}s] ${name} (load average ${one.toFixed(2)}${pressureText})\n`);
}

let cleanUp: (() => Promise<void>) | undefined;
setTimeout(() => {
  process.stderr.write(`bench: still running after ${WATCHDOG_MINUTES} minutes; stopping\n`);
  const stop = cleanUp ? cleanUp().catch(() => undefined) : Promise.resolve();
  void Promise.race([stop, new Promise((resolve) => setTimeout(resolve, 10_000))]).then(() => process.exit(2));
}, WATCHDOG_MINUTES * 60_000).unref();

async function main(): Promise<void> {
  const named = onlyNames(process.argv.slice(2));
  if (named && !named.includes('core')) {
    // `--only cpu,ws`: the write-cost and live-feed phases alone, on a fresh database, printed, not written.
    const live = new Set(LIVE_PHASES.filter((name) => named.includes(name)));
    if (live.size > 0) await runOnly(live, (stop) => { cleanUp = stop; });
  } else if (selected.core) {
    await core();
  }
  if (selected.extra.length > 0) await runExtraPhases(selected.extra, DOC, phase);
}

async function core(): Promise<void> {
  phase('starting a fresh embedded PostgreSQL');
  const database = await startBenchDatabase();
  cleanUp = () => database.stop();
  try {
    const db = createDb(database.url, { max: BENCH_POOL_MAX, applicationName: 'todo-bench' });
    try {
      const machine = await describeMachine(db);

      phase('1/5 event-store append vs raw INSERT at 1, 4, 16 writers');
      const append = await measureAppendThroughput(db, { levels: [1, 4, 16], secondsPerLevel: 15, slices: 5, maxOps: 200_000 });

      phase('starting the service; its projectors catch up with the appended events');
      let bench = await startBenchSystem(database.url);
      const catchUpEvents = append.reduce((sum, level) => sum + level.store.ops, 0);
      const catchUp = { events: catchUpEvents, projectors: bench.system.projectors.length, ...(await waitForProjectors(bench, 180)) };

      phase('2/5 HTTP POST /api/tasks, 16 connections, 10 s');
      const httpCreate = await measureHttpCreate(bench.baseUrl, await bench.token(CREATE_USER), { connections: 16, seconds: 10 });
      await waitForProjectors(bench, 120);
      const live = await measureLiveCost(bench, db, new Set(LIVE_PHASES), (name) => phase(`2/5 ${name}`));
      await bench.close();

      phase('3/5 bulk-loading the log');
      const bulkLoad = await bulkLoadEvents(db, { heavyTasks: 20_000, users: 1000, tasksPerUser: 100, chunk: 10_000 });
      phase('3/5 rebuilding task-view from the whole log');
      // The rebuild ends with ANALYZE of the new table, so the latency figures below plan with statistics.
      const rebuild = await measureRebuild(db);

      phase('restarting the service; the other projectors catch up with the bulk-loaded events');
      bench = await startBenchSystem(database.url);
      const restartCatchUp = { events: bulkLoad.events, projectors: bench.system.projectors.length - 1, ...(await waitForProjectors(bench, 240)) };

      phase('4/5 GET /api/tasks latency mix');
      const list = await measureListLatency(bench, { users: 1000, connections: [1, 8], seconds: 12, warmupSeconds: 2 });

      phase('5/5 command-to-read-model freshness, 300 sequential samples');
      const freshness = await measureFreshness(bench, { samples: 300, maxSeconds: 60 });
      await bench.close();
      phase('done');
      const load: PhaseLoad[] = marks.slice(0, -1).map((mark, i) => {
        const next = marks[i + 1] ?? mark;
        const seconds = (next.at - mark.at) / 1000;
        return { phase: mark.phase, seconds, loadAverage: mark.loadAverage, cpuPressure: mark.cpuPressure, cpu: cpuShare(mark.cpu, next.cpu, seconds) };
      });

      const results: BenchResults = {
        machine, load, append, catchUp, httpCreate, live, bulkLoad, rebuild, restartCatchUp, list, freshness,
        totalSeconds: (performance.now() - started) / 1000,
      };
      process.stdout.write(`${renderTable(results)}\n`);
      await mkdir(fileURLToPath(new URL('../docs/', import.meta.url)), { recursive: true });
      await writeFile(DOC, carrySections(readDoc(DOC), renderMarkdown(results)));
      process.stderr.write(`wrote ${DOC}\n`);
    } finally {
      await db.close();
    }
  } finally {
    await database.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
