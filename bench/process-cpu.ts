import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Queryable } from '../contracts/ports/sql.ts';

/*
 * CPU time per process from /proc: the service's own Node process and every process of the PostgreSQL
 * cluster (the postmaster, each backend, the WAL writer, checkpointer, …), so that a figure like "CPU per
 * created task" counts the database's work as well as Node's. Linux only; elsewhere every sample is empty.
 */

/** USER_HZ: /proc counts CPU time in ticks of 10 ms on Linux. */
const TICK_MS = 10;

interface ProcTimes { readonly ppid: number; readonly own: number; readonly reaped: number }

const pids = (): number[] => readdirSync('/proc').filter((name) => /^\d+$/.test(name)).map(Number);

function readTimes(pid: number): ProcTimes | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // After the command name (which may hold spaces and parentheses): state ppid … utime stime cutime cstime.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ').map(Number);
    return { ppid: fields[1] ?? 0, own: (fields[11] ?? 0) + (fields[12] ?? 0), reaped: (fields[13] ?? 0) + (fields[14] ?? 0) };
  } catch {
    return null; // gone while we looked
  }
}

/** Milliseconds of CPU per process id, and what the postmaster reaped from backends that exited. */
export interface CpuSample {
  readonly nodeMs: number;
  readonly postgres: ReadonlyMap<number, number>;
  readonly postgresReapedMs: number;
}

export interface PostgresProcesses {
  readonly postmaster: number;
  /** What each process is (`client backend · todo`, `walwriter`, …), from pg_stat_activity. */
  describe(db: Queryable): Promise<Map<number, string>>;
  sample(): CpuSample;
}

/** Finds the cluster behind `db` through one of its backends' parent: the postmaster. */
export async function postgresProcesses(db: Queryable): Promise<PostgresProcesses | null> {
  const backend = await db.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
  const pid = backend.rows[0]?.pid;
  const postmaster = pid === undefined ? undefined : readTimes(pid)?.ppid;
  if (postmaster === undefined) return null;
  const children = (): number[] => pids()
    .filter((candidate) => readTimes(candidate)?.ppid === postmaster);
  return {
    postmaster,
    async describe(source) {
      const rows = await source.query<{ pid: number; backend_type: string; application_name: string | null }>(
        'SELECT pid, backend_type, application_name FROM pg_stat_activity');
      const names = new Map<number, string>([[postmaster, 'postmaster']]);
      for (const row of rows.rows) names.set(row.pid, row.application_name ? `${row.backend_type} · ${row.application_name}` : row.backend_type);
      return names;
    },
    sample() {
      const postgres = new Map<number, number>();
      for (const child of [postmaster, ...children()]) {
        const times = readTimes(child);
        if (times) postgres.set(child, times.own * TICK_MS);
      }
      const usage = process.cpuUsage();
      return { nodeMs: (usage.user + usage.system) / 1000, postgres, postgresReapedMs: (readTimes(postmaster)?.reaped ?? 0) * TICK_MS };
    },
  };
}

export interface CpuSpent {
  readonly nodeMs: number;
  /** Per kind of PostgreSQL process (summed over processes of that kind), in milliseconds. */
  readonly postgres: ReadonlyArray<{ readonly process: string; readonly ms: number }>;
  readonly postgresMs: number;
}

/**
 * The CPU spent between two samples, PostgreSQL's grouped by what each process is. A backend that exited
 * in between counts through the postmaster's reaped time; one that started counts from zero.
 */
export function cpuSpent(before: CpuSample, after: CpuSample, names: ReadonlyMap<number, string>): CpuSpent {
  const byKind = new Map<string, number>();
  const add = (kind: string, ms: number) => { if (ms > 0) byKind.set(kind, (byKind.get(kind) ?? 0) + ms); };
  for (const [pid, ms] of after.postgres) add(names.get(pid) ?? 'other', ms - (before.postgres.get(pid) ?? 0));
  add('exited backends', after.postgresReapedMs - before.postgresReapedMs);
  const postgres = [...byKind].map(([process, ms]) => ({ process, ms })).sort((a, b) => b.ms - a.ms);
  return { nodeMs: after.nodeMs - before.nodeMs, postgres, postgresMs: postgres.reduce((sum, p) => sum + p.ms, 0) };
}

/** CPU milliseconds of `root` and all its live descendants, plus what they reaped from exited children. */
export function treeMs(root: number): number {
  const children = new Map<number, number[]>();
  const times = new Map<number, ProcTimes>();
  for (const pid of pids()) {
    const t = readTimes(pid);
    if (!t) continue;
    times.set(pid, t);
    children.set(t.ppid, [...(children.get(t.ppid) ?? []), pid]);
  }
  let ticks = 0;
  const stack = times.has(root) ? [root] : [];
  for (let pid = stack.pop(); pid !== undefined; pid = stack.pop()) {
    const t = times.get(pid);
    if (t) ticks += t.own + t.reaped;
    stack.push(...(children.get(pid) ?? []));
  }
  return ticks * TICK_MS;
}

export function postmasterPid(clusterDir: string): number {
  const pid = Number.parseInt(readFileSync(join(clusterDir, 'postmaster.pid'), 'utf8').split('\n')[0] ?? '', 10);
  if (!Number.isInteger(pid) || pid <= 0) throw new Error(`no postmaster pid in ${clusterDir}`);
  return pid;
}

export interface CpuTotals { readonly nodeMs: number; readonly postgresMs: number }

/** This Node process's CPU and the whole PostgreSQL cluster's, in milliseconds. */
export function sampleProcessCpu(postmaster: number): CpuTotals {
  const usage = process.cpuUsage();
  return { nodeMs: (usage.user + usage.system) / 1000, postgresMs: treeMs(postmaster) };
}

export interface CpuPerRequest { readonly nodeMs: number; readonly postgresMs: number; readonly totalMs: number }

/** CPU milliseconds per request between two samples. */
export function cpuPerRequest(before: CpuTotals, after: CpuTotals, requests: number): CpuPerRequest {
  const n = Math.max(1, requests);
  const nodeMs = (after.nodeMs - before.nodeMs) / n;
  const postgresMs = (after.postgresMs - before.postgresMs) / n;
  return { nodeMs, postgresMs, totalMs: nodeMs + postgresMs };
}

/** Child processes of this one whose command line contains `fragment`. */
export function childPids(fragment: string): number[] {
  return pids().filter((pid) => {
    if (readTimes(pid)?.ppid !== process.pid) return false;
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').includes(fragment);
    } catch {
      return false;
    }
  });
}
