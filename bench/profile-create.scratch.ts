import { Session } from 'node:inspector/promises';
import { writeFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createDb } from '../gateways/postgres/db.ts';
import { startBenchDatabase } from './database.ts';
import { CREATE_USER, measureHttpCreate } from './http-create.ts';
import { cpuSpent, postgresProcesses } from './process-cpu.ts';
import { BENCH_POOL_MAX, startBenchSystem, waitForProjectors } from './system.ts';

const out = process.argv[2] ?? '/tmp/wp/create.cpuprofile';
const seconds = Number(process.argv[3] ?? 10);
const profile = process.env.NOPROF !== '1';
const database = await startBenchDatabase();
try {
  const db = createDb(database.url, { max: BENCH_POOL_MAX, applicationName: 'todo-bench' });
  const bench = await startBenchSystem(database.url);
  const processes = await postgresProcesses(db);
  if (!processes) throw new Error('no pg');
  const token = await bench.token(CREATE_USER);
  await measureHttpCreate(bench.baseUrl, token, { connections: 16, seconds: 2 });
  await waitForProjectors(bench, 60);
  if (process.env.SCRATCH_PGSS === '1') { await db.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements'); await db.query('SELECT pg_stat_statements_reset()'); }
  const session = new Session();
  session.connect();
  if (profile) { await session.post('Profiler.enable'); await session.post('Profiler.setSamplingInterval', { interval: 200 }); await session.post('Profiler.start'); }
  const eld = monitorEventLoopDelay({ resolution: 1 });
  eld.enable();
  if (process.env.SCRATCH_PERF) writeFileSync(process.env.SCRATCH_PERF, String(process.pid));
  const cpu0 = process.cpuUsage();
  const before = processes.sample();
  const create = await measureHttpCreate(bench.baseUrl, token, { connections: 16, seconds });
  const loadEnd = performance.now();
  const caught = await waitForProjectors(bench, 120);
  const after = processes.sample();
  eld.disable();
  const cpu1 = process.cpuUsage(cpu0);
  if (profile) { const { profile: p } = await session.post('Profiler.stop'); writeFileSync(out, JSON.stringify(p)); }
  const spent = cpuSpent(before, after, await processes.describe(db));
  const n = create.all.count - create.all.non2xx;
  const ms = (ns: number) => (ns / 1e6).toFixed(2);
  console.log(JSON.stringify({ created: n, perSecond: create.perSecond, p50: create.all.p50, p99: create.all.p99, caught, catchUpMs: performance.now() - loadEnd,
    nodeMs: (spent.nodeMs / n).toFixed(3), pgMs: (spent.postgresMs / n).toFixed(3), totalMs: ((spent.nodeMs + spent.postgresMs) / n).toFixed(3),
    pg: spent.postgres.map((p) => `${p.process}=${(p.ms / n).toFixed(3)}`),
    userMs: (cpu1.user / 1000 / n).toFixed(3), sysMs: (cpu1.system / 1000 / n).toFixed(3),
    eld: { p50: ms(eld.percentile(50)), p90: ms(eld.percentile(90)), p99: ms(eld.percentile(99)), max: ms(eld.max), mean: ms(eld.mean) } }));
  if (process.env.SCRATCH_PGSS === '1') {
    const r = await db.query<{ calls: string; rows: string; exec: number; plan: number; q: string }>(`SELECT calls::text, rows::text, total_exec_time AS exec, total_plan_time AS plan, regexp_replace(query, '\\s+', ' ', 'g') AS q FROM pg_stat_statements ORDER BY total_exec_time + total_plan_time DESC LIMIT 30`);
    for (const row of r.rows) console.log(`${((row.exec + row.plan) / n * 1000).toFixed(1).padStart(7)} us/task  exec ${(row.exec / Number(row.calls) * 1000).toFixed(0).padStart(6)} us/call plan ${(row.plan / Math.max(1, Number(row.calls)) * 1000).toFixed(0)} calls/task ${(Number(row.calls) / n).toFixed(3)} rows/call ${(Number(row.rows) / Number(row.calls)).toFixed(1)} | ${row.q.slice(0, 160)}`);
  }
  const sync = (globalThis as unknown as { SYNC?: Array<[string, number, number]> }).SYNC ?? [];
  for (const kind of ['fold', 'decode']) {
    const xs = sync.filter((x) => x[0] === kind).sort((a, b) => a[2] - b[2]);
    const q = (f: number) => xs[Math.floor(f * (xs.length - 1))];
    console.log(kind, xs.length, 'p50', q(0.5), 'p99', q(0.99), 'max', xs.at(-1), 'per event us', (xs.reduce((a, x) => a + x[2], 0) / xs.reduce((a, x) => a + x[1], 0) * 1000).toFixed(1));
  }
  await bench.close();
  await db.close();
} finally {
  await database.stop();
}
