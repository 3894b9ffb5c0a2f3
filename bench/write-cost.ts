import { randomUUID } from 'node:crypto';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { Db } from '../gateways/postgres/db.ts';
import { CREATE_USER, measureHttpCreate } from './http-create.ts';
import type { LoadResult } from './load.ts';
import { cpuSpent, postgresProcesses, type CpuSpent } from './process-cpu.ts';
import { countStatements, type StatementCount } from './statement-count.ts';
import { runBounded, type Throughput } from './stats.ts';
import { sampleWal, walPerOperation, type WalPerOperation } from './wal-volume.ts';
import { waitForProjectors, type BenchSystem } from './system.ts';

/*
 * What one created task costs the machine: CPU of the service's Node process and of every PostgreSQL
 * process, from /proc, over an HTTP create load and until every live projector has applied what it
 * created — next to a raw single-row INSERT measured the same way in the same run.
 */

export interface CpuPerOperation {
  readonly operations: number;
  readonly spent: CpuSpent;
  /** Milliseconds of CPU per operation: Node, PostgreSQL, both. */
  readonly nodeMs: number;
  readonly postgresMs: number;
  readonly totalMs: number;
}

export interface WriteCostResult {
  readonly create: LoadResult;
  readonly createCpu: CpuPerOperation;
  /** Whether the projectors had caught up when the CPU was read (else the figure misses their rest). */
  readonly projectorsCaughtUp: boolean;
  readonly statements: StatementCount;
  readonly raw: Throughput;
  readonly rawCpu: CpuPerOperation;
  /** What each created task (with its projectors' writes) and each raw INSERT wrote to the WAL. */
  readonly createWal: WalPerOperation;
  readonly rawWal: WalPerOperation;
  /**
   * The intervals at which the service's event loop ran a 1 ms timer during the create load, in
   * milliseconds: above 1 ms, what a request waits behind before its turn (work in the loop, garbage
   * collection, and waits for a core).
   */
  readonly eventLoopDelay: { readonly p50: number; readonly p99: number; readonly max: number };
}

function perOperation(operations: number, spent: CpuSpent): CpuPerOperation {
  const per = (ms: number) => (operations > 0 ? ms / operations : Number.NaN);
  return { operations, spent, nodeMs: per(spent.nodeMs), postgresMs: per(spent.postgresMs), totalMs: per(spent.nodeMs + spent.postgresMs) };
}

export async function measureWriteCost(
  bench: BenchSystem,
  db: Db,
  options: { readonly connections: number; readonly seconds: number },
): Promise<WriteCostResult> {
  const processes = await postgresProcesses(db);
  if (!processes) throw new Error('cannot find the PostgreSQL processes in /proc');
  const token = await bench.token(CREATE_USER);

  // Warm-up: JIT, prepared statements, the pool's connections; not counted.
  await measureHttpCreate(bench.baseUrl, token, { connections: options.connections, seconds: 2 });
  await waitForProjectors(bench, 60);

  const counting = countStatements();
  const delay = monitorEventLoopDelay({ resolution: 1 });
  const before = processes.sample();
  const walBefore = await sampleWal(db);
  delay.enable();
  const create = await measureHttpCreate(bench.baseUrl, token, options);
  delay.disable();
  const caughtUp = await waitForProjectors(bench, 120);
  const after = processes.sample();
  const walAfter = await sampleWal(db);
  const statements = counting.stop();
  const names = await processes.describe(db);
  const created = create.all.count - create.all.non2xx;

  await db.query('CREATE TABLE IF NOT EXISTS bench_raw (id bigserial PRIMARY KEY, payload jsonb NOT NULL)');
  const payload = JSON.stringify({ title: 'Prepare the release notes', request_id: randomUUID() });
  const insertOne = async (): Promise<void> => { await db.query('INSERT INTO bench_raw (payload) VALUES ($1)', [payload]); };
  await runBounded({ concurrency: options.connections, seconds: 1, maxOps: 5_000 }, insertOne);
  const rawBefore = processes.sample();
  const rawWalBefore = await sampleWal(db);
  const raw = await runBounded({ concurrency: options.connections, seconds: options.seconds, maxOps: 500_000 }, insertOne);
  const rawAfter = processes.sample();
  const rawWalAfter = await sampleWal(db);
  const rawNames = await processes.describe(db);

  return {
    create,
    createCpu: perOperation(created, cpuSpent(before, after, names)),
    projectorsCaughtUp: caughtUp.caughtUp,
    statements,
    raw,
    rawCpu: perOperation(raw.ops, cpuSpent(rawBefore, rawAfter, rawNames)),
    createWal: walPerOperation(walBefore, walAfter, created),
    rawWal: walPerOperation(rawWalBefore, rawWalAfter, raw.ops),
    // The intervals between the timer's runs: an idle loop shows about the 1 ms resolution itself.
    eventLoopDelay: { p50: delay.percentile(50) / 1e6, p99: delay.percentile(99) / 1e6, max: delay.max / 1e6 },
  };
}
