import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';

/*
 * How much of the machine's CPU went to this benchmark's own process tree (Node, the autocannon child,
 * the embedded PostgreSQL and its backends) and how much to everything else, from /proc. On a shared
 * machine the second number says how far the figures are from an idle machine's. Linux only; elsewhere
 * every sample is null.
 */

interface Ticks { readonly busy: number; readonly own: number }

function machineBusyTicks(): number {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
  // cpu user nice system idle iowait irq softirq steal ...
  const [, user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = line.trim().split(/\s+/).map(Number);
  return user + nice + system + irq + softirq + steal;
}

interface ProcStat { readonly pid: number; readonly ppid: number; readonly ticks: number }

function readProc(pid: string): ProcStat | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces and parentheses): state ppid ... utime stime cutime cstime.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ').map(Number);
    const [, ppid = 0] = fields;
    const own = (fields[11] ?? 0) + (fields[12] ?? 0); // utime, stime
    const children = (fields[13] ?? 0) + (fields[14] ?? 0); // cutime, cstime: reaped children
    return { pid: Number(pid), ppid, ticks: own + children };
  } catch {
    return null; // gone while we looked
  }
}

/** CPU ticks of this process and all its live descendants, plus what they reaped from exited children. */
function ownTreeTicks(): number {
  const processes = readdirSync('/proc').filter((name) => /^\d+$/.test(name)).flatMap((pid) => readProc(pid) ?? []);
  const children = new Map<number, ProcStat[]>();
  for (const p of processes) {
    const siblings = children.get(p.ppid);
    if (siblings) siblings.push(p); else children.set(p.ppid, [p]);
  }
  let ticks = 0;
  const stack = processes.filter((p) => p.pid === process.pid);
  const seen = new Set<number>();
  while (stack.length > 0 && seen.size < 10_000) {
    const p = stack.pop();
    if (!p || seen.has(p.pid)) continue;
    seen.add(p.pid);
    ticks += p.ticks;
    stack.push(...(children.get(p.pid) ?? []));
  }
  return ticks;
}

export function sampleCpu(): Ticks | null {
  try {
    return { busy: machineBusyTicks(), own: ownTreeTicks() };
  } catch {
    return null;
  }
}

export interface CpuShare {
  /** Share of the whole machine (all cores) used by the benchmark's own processes, 0–1. */
  readonly own: number;
  /** Share of the whole machine used by everything else, 0–1. */
  readonly others: number;
}

/** Shares of the machine between two samples taken `seconds` apart. */
export function cpuShare(before: Ticks | null, after: Ticks | null, seconds: number): CpuShare | null {
  if (!before || !after || seconds <= 0) return null;
  const capacity = seconds * 100 * availableParallelism(); // USER_HZ is 100 on Linux
  const busy = after.busy - before.busy;
  const own = Math.max(0, Math.min(busy, after.own - before.own));
  return { own: own / capacity, others: Math.max(0, busy - own) / capacity };
}
