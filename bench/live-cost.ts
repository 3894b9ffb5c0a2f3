import { loadavg } from 'node:os';
import { createDb, type Db } from '../gateways/postgres/db.ts';
import { startBenchDatabase } from './database.ts';
import { renderLiveCostSection, liveCostRows, type LiveCostResults } from './live-cost-report.ts';
import { describeMachine } from './machine.ts';
import { cpuShare, sampleCpu } from './cpu-share.ts';
import { measureFreshnessUnderLoad, measureManySockets } from './sockets.ts';
import { round } from './stats.ts';
import { BENCH_POOL_MAX, startBenchSystem, type BenchSystem } from './system.ts';
import { measureWriteCost } from './write-cost.ts';

/*
 * The phases of the write cost and the live feed under many clients, runnable in the full `npm run bench`
 * or alone: `npm run bench -- --only cpu,ws` (`cpu`: CPU per created task beside a raw INSERT; `ws`:
 * 10,000 WebSockets, then freshness with 1,000 under the create load).
 */

export const LIVE_PHASES = ['cpu', 'ws'] as const;
export type LivePhase = (typeof LIVE_PHASES)[number];

export async function measureLiveCost(
  bench: BenchSystem,
  db: Db,
  phases: ReadonlySet<LivePhase>,
  progress: (name: string) => void,
): Promise<LiveCostResults> {
  let results: LiveCostResults = {};
  if (phases.has('cpu')) {
    progress('CPU per created task from /proc (16 connections, 10 s), then a raw INSERT for 10 s');
    results = { ...results, writeCost: await measureWriteCost(bench, db, { connections: 16, seconds: 10 }) };
  }
  if (phases.has('ws')) {
    progress('10,000 WebSockets open; 30 changes fanned out to the 1,000 sockets of one owner');
    results = { ...results, manySockets: await measureManySockets(bench, { sockets: 10_000, ownerSockets: 1_000, samples: 30 }) };
    progress('command → frame freshness, 1,000 WebSockets open, under the 16-connection create load');
    results = { ...results, freshnessUnderLoad: await measureFreshnessUnderLoad(bench, { sockets: 1_000, probeSockets: 2, connections: 16, seconds: 12 }) };
  }
  return results;
}

/** `--only`: a fresh PostgreSQL and service, the chosen phases, the figures on stdout; docs/ stay as they are. */
export async function runOnly(phases: ReadonlySet<LivePhase>, onDatabase: (stop: () => Promise<void>) => void): Promise<void> {
  const started = performance.now();
  const log = (name: string) => process.stderr.write(`[bench ${((performance.now() - started) / 1000).toFixed(0).padStart(3)}s] ${name} (load average ${round(loadavg()[0] ?? 0, 2)})\n`);
  log('starting a fresh embedded PostgreSQL');
  const database = await startBenchDatabase();
  onDatabase(() => database.stop()); // the watchdog's way to stop it
  try {
    const db = createDb(database.url, { max: BENCH_POOL_MAX, applicationName: 'todo-bench' });
    try {
      const machine = await describeMachine(db);
      const bench = await startBenchSystem(database.url);
      const cpuBefore = sampleCpu();
      const measuredFrom = performance.now();
      let results: LiveCostResults;
      try {
        results = await measureLiveCost(bench, db, phases, log);
      } finally {
        await bench.close();
      }
      const share = cpuShare(cpuBefore, sampleCpu(), (performance.now() - measuredFrom) / 1000);
      const rows = liveCostRows(results).map((cells) => `| ${cells.join(' | ')} |`);
      process.stdout.write([
        `${machine.cpu}, ${machine.cores} cores; Node ${machine.node}; PostgreSQL ${machine.postgres}; ${machine.date}`,
        share ? `CPU of the machine used by the benchmark ${round(share.own * 100)} %, by other processes ${round(share.others * 100)} %; load average ${round(loadavg()[0] ?? 0, 2)}` : '',
        '',
        '| figure | measured | target | baseline |',
        '| --- | --- | --- | --- |',
        ...rows,
        '',
        renderLiveCostSection(results),
      ].join('\n'));
    } finally {
      await db.close();
    }
  } finally {
    await database.stop();
  }
}
