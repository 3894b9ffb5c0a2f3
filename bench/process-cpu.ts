import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/*
 * CPU time per process group, from /proc: the service (this Node process) and the PostgreSQL cluster
 * (its postmaster and every backend). The load generator runs in its own process and is in neither.
 */

const TICK_MS = 10; // USER_HZ is 100 on Linux

interface Stat { readonly pid: number; readonly ppid: number; readonly ms: number }

function stat(pid: string): Stat | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ').map(Number);
    // utime, stime, cutime, cstime (the last two: backends that already exited)
    const ticks = (fields[11] ?? 0) + (fields[12] ?? 0) + (fields[13] ?? 0) + (fields[14] ?? 0);
    return { pid: Number(pid), ppid: fields[1] ?? 0, ms: ticks * TICK_MS };
  } catch {
    return null;
  }
}

/** CPU milliseconds of `root` and all its live descendants (plus what they reaped). */
export function treeMs(root: number): number {
  const all = readdirSync('/proc').filter((name) => /^\d+$/.test(name)).flatMap((pid) => stat(pid) ?? []);
  const children = new Map<number, Stat[]>();
  for (const p of all) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p]);
  let ms = 0;
  const stack = all.filter((p) => p.pid === root);
  while (stack.length > 0) {
    const p = stack.pop();
    if (!p) break;
    ms += p.ms;
    stack.push(...(children.get(p.pid) ?? []));
  }
  return ms;
}

export function postmasterPid(clusterDir: string): number {
  const pid = Number.parseInt(readFileSync(join(clusterDir, 'postmaster.pid'), 'utf8').split('\n')[0] ?? '', 10);
  if (!Number.isInteger(pid) || pid <= 0) throw new Error(`no postmaster pid in ${clusterDir}`);
  return pid;
}

export interface CpuSample { readonly nodeMs: number; readonly postgresMs: number }

export function sampleProcessCpu(postmaster: number): CpuSample {
  const usage = process.cpuUsage();
  return { nodeMs: (usage.user + usage.system) / 1000, postgresMs: treeMs(postmaster) };
}

export interface CpuPerRequest { readonly nodeMs: number; readonly postgresMs: number; readonly totalMs: number }

/** CPU milliseconds per request between two samples. */
export function cpuPerRequest(before: CpuSample, after: CpuSample, requests: number): CpuPerRequest {
  const n = Math.max(1, requests);
  const nodeMs = (after.nodeMs - before.nodeMs) / n;
  const postgresMs = (after.postgresMs - before.postgresMs) / n;
  return { nodeMs, postgresMs, totalMs: nodeMs + postgresMs };
}

/** Child processes of this one whose command line contains `fragment`. */
export function childPids(fragment: string): number[] {
  return readdirSync('/proc').filter((name) => /^\d+$/.test(name)).flatMap((pid) => {
    const p = stat(pid);
    if (!p || p.ppid !== process.pid) return [];
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').includes(fragment) ? [p.pid] : [];
    } catch {
      return [];
    }
  });
}
