import { join } from 'node:path';
import { createDb, type Db } from '../gateways/postgres/db.ts';
import type { BenchDatabase } from './database.ts';
import { cpuPerRequest, postmasterPid, sampleProcessCpu, type CpuPerRequest } from './process-cpu.ts';
import { round, runBounded } from './stats.ts';

/*
 * The embedded server's two ways in, side by side: a statement's round trip, and a single-row INSERT, from
 * 16 workers over loopback TCP and over the server's Unix-domain socket (ADR 0045). The two run in
 * alternating slices, each slice's order swapped, because this machine's speed drifts over minutes and
 * slices side by side see the same drift. CPU per statement from /proc: this process and the whole cluster.
 */

const WORKERS = 16;

export interface TransportFigure { readonly statements: number; readonly seconds: number; readonly cpu: CpuPerRequest }

export interface TransportRow { readonly statement: string; readonly tcp: TransportFigure; readonly socket: TransportFigure }

export interface TransportResult { readonly slices: number; readonly secondsPerSlice: number; readonly rows: readonly TransportRow[] }

const STATEMENTS = [
  { statement: '`SELECT $1::int` (a round trip and nothing else)', sql: 'SELECT $1::int AS v' },
  { statement: 'single-row `INSERT` (a commit each)', sql: 'INSERT INTO bench_transport (v) VALUES ($1)' },
] as const;

export async function measureTransport(database: BenchDatabase, options: { readonly slices: number; readonly secondsPerSlice: number }): Promise<TransportResult> {
  const postmaster = postmasterPid(join(database.dir, 'postgres'));
  const pools: Record<'tcp' | 'socket', Db> = {
    tcp: createDb(database.tcpUrl, { max: WORKERS, applicationName: 'todo-bench-tcp' }),
    socket: createDb(database.url, { max: WORKERS, applicationName: 'todo-bench-socket' }),
  };
  try {
    await pools.tcp.query('CREATE TABLE IF NOT EXISTS bench_transport (id bigserial PRIMARY KEY, v int NOT NULL)');
    // Every connection opened before the first slice: a connection's start-up is not what is compared.
    for (const pool of Object.values(pools)) await Promise.all(Array.from({ length: WORKERS }, () => pool.query('SELECT 1')));
    const rows: TransportRow[] = [];
    for (const { statement, sql } of STATEMENTS) {
      const totals = { tcp: { statements: 0, seconds: 0, nodeMs: 0, postgresMs: 0 }, socket: { statements: 0, seconds: 0, nodeMs: 0, postgresMs: 0 } };
      for (let slice = 0; slice < options.slices; slice++) {
        const order = slice % 2 === 0 ? (['tcp', 'socket'] as const) : (['socket', 'tcp'] as const);
        for (const way of order) {
          const pool = pools[way];
          const before = sampleProcessCpu(postmaster);
          const run = await runBounded({ concurrency: WORKERS, seconds: options.secondsPerSlice, maxOps: 1_000_000 }, async (worker) => {
            await pool.query(sql, [worker]);
          });
          const after = sampleProcessCpu(postmaster);
          const total = totals[way];
          total.statements += run.ops;
          total.seconds += run.seconds;
          total.nodeMs += after.nodeMs - before.nodeMs;
          total.postgresMs += after.postgresMs - before.postgresMs;
        }
      }
      const figure = (way: 'tcp' | 'socket'): TransportFigure => {
        const t = totals[way];
        return { statements: t.statements, seconds: t.seconds, cpu: cpuPerRequest({ nodeMs: 0, postgresMs: 0 }, { nodeMs: t.nodeMs, postgresMs: t.postgresMs }, t.statements) };
      };
      rows.push({ statement, tcp: figure('tcp'), socket: figure('socket') });
    }
    return { slices: options.slices, secondsPerSlice: options.secondsPerSlice, rows };
  } finally {
    await Promise.all(Object.values(pools).map((pool) => pool.close()));
  }
}

const us = (ms: number) => `${round(ms * 1000, 1)} µs`;
const cpuText = (f: TransportFigure) => `${us(f.cpu.totalMs)} = Node ${us(f.cpu.nodeMs)} + PostgreSQL ${us(f.cpu.postgresMs)}; ${round(f.statements / f.seconds)}/s`;

export function renderTransport(r: TransportResult): string {
  return [
    `| statement, ${WORKERS} workers (${r.slices} slices of ${r.secondsPerSlice} s each way, alternated) | loopback TCP: CPU per statement; rate | Unix-domain socket | the socket saves |`,
    '| --- | --- | --- | --- |',
    ...r.rows.map((row) => `| ${row.statement} | ${cpuText(row.tcp)} | ${cpuText(row.socket)} | ${us(row.tcp.cpu.totalMs - row.socket.cpu.totalMs)} (${round((100 * (row.tcp.cpu.totalMs - row.socket.cpu.totalMs)) / row.tcp.cpu.totalMs)} %) |`),
    '',
    'CPU from /proc: the benchmark\'s own process (the pg driver) and every process of the cluster. The service',
    'and the raw baselines of this file reach the embedded server over its socket, as `todo serve all` does.',
  ].join('\n');
}
