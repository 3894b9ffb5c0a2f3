import type { FreshnessUnderLoadResult, ManySocketsResult } from './sockets.ts';
import { round } from './stats.ts';
import type { CpuPerOperation, WriteCostResult } from './write-cost.ts';
import type { WalPerOperation } from './wal-volume.ts';

/*
 * The figures of the write-cost and live-socket phases: summary rows (figure, measured, target, baseline)
 * and a section of their own with the per-process split and the statements per created task.
 */

export const LIVE_TARGETS = {
  cpuPerCreateMs: 0.6, createP99Ms: 15, socketsRssMiB: 500, fanOutP99Ms: 100, freshnessP99Ms: 15,
} as const;

export interface LiveCostResults {
  readonly writeCost?: WriteCostResult;
  readonly manySockets?: ManySocketsResult;
  readonly freshnessUnderLoad?: FreshnessUnderLoadResult;
}

const ms = (value: number) => `${round(value, value < 10 ? 2 : 1)} ms`;
const verdict = (met: boolean) => (met ? '✅ met' : '❌ missed');

function walText(w: WalPerOperation): string {
  return `${round(w.bytes / 1024, 2)} KiB in ${round(w.records, 1)} records${w.fullPageImages >= 0.05 ? ` (${round(w.fullPageImages, 1)} full pages)` : ''}`;
}

function cpuText(c: CpuPerOperation): string {
  return `${ms(c.totalMs)} = Node ${ms(c.nodeMs)} + PostgreSQL ${ms(c.postgresMs)}`;
}

export function liveCostRows(r: LiveCostResults): string[][] {
  const rows: string[][] = [];
  const w = r.writeCost;
  if (w) {
    rows.push([
      `CPU per created task (HTTP POST /api/tasks, ${w.create.connections} connections, every projector live)`,
      `${cpuText(w.createCpu)}${w.projectorsCaughtUp ? '' : ' (projectors not caught up: an underestimate)'}`,
      `≤ ${LIVE_TARGETS.cpuPerCreateMs} ms ${verdict(w.createCpu.totalMs <= LIVE_TARGETS.cpuPerCreateMs)}`,
      `raw single-row INSERT, same run: ${cpuText(w.rawCpu)}`,
    ]);
    rows.push([
      'WAL written per created task (pg_stat_wal: every row and index entry the task and its projectors wrote)',
      walText(w.createWal),
      '—',
      `raw single-row INSERT, same run: ${walText(w.rawWal)}`,
    ]);
    rows.push([
      `HTTP POST /api/tasks, ${w.create.connections} connections (CPU phase)`,
      `${round(w.create.perSecond)}/s, p50 ${ms(w.create.all.p50)}, p99 ${ms(w.create.all.p99)}, non-2xx ${w.create.non2xx}`,
      `p99 ≤ ${LIVE_TARGETS.createP99Ms} ms ${verdict(w.create.all.p99 <= LIVE_TARGETS.createP99Ms)}`,
      `raw INSERT ${round(w.raw.perSecond)}/s, p50 ${ms(w.raw.latency.p50)}, p99 ${ms(w.raw.latency.p99)}`,
    ]);
    rows.push([
      'The service\'s event loop under that load: the interval of a 1 ms timer (perf_hooks)',
      `p50 ${ms(w.eventLoopDelay.p50)}, p99 ${ms(w.eventLoopDelay.p99)}, max ${ms(w.eventLoopDelay.max)}`,
      '—',
      'what every request queues behind: the loop\'s own work, garbage collection, and waits for a core',
    ]);
  }
  const s = r.manySockets;
  if (s) {
    rows.push([
      `${round(s.sockets)} open WebSockets on the service process`,
      `RSS ${round(s.rssMiB)} MiB (${round(s.rssBeforeMiB)} MiB before they opened; heap ${round(s.heapUsedMiB)} MiB)${s.failed ? `, ${s.failed} failed to open` : ''}`,
      `≤ ${LIVE_TARGETS.socketsRssMiB} MB ${verdict(s.failed === 0 && s.rssMiB <= LIVE_TARGETS.socketsRssMiB)}`,
      '—',
    ]);
    rows.push([
      `A change reaching all ${round(s.fanOut.sockets)} sockets of its owner (${s.fanOut.samples} changes, ${round(s.sockets)} sockets open)`,
      `last socket: p50 ${ms(s.fanOut.last.p50)}, p99 ${ms(s.fanOut.last.p99)}; every frame p99 ${ms(s.fanOut.every.p99)}${s.fanOut.misses ? `; ${s.fanOut.misses} missed` : ''}`,
      `p99 ≤ ${LIVE_TARGETS.fanOutP99Ms} ms ${verdict(s.fanOut.misses === 0 && s.fanOut.last.p99 <= LIVE_TARGETS.fanOutP99Ms)}`,
      `the command's own round trip p50 ${ms(s.fanOut.command.p50)}; first socket p50 ${ms(s.fanOut.first.p50)}; the service's CPU per change ${ms(s.cpuMsPerChange)}`,
    ]);
  }
  const f = r.freshnessUnderLoad;
  if (f) {
    rows.push([
      `Command → WebSocket frame, ${round(f.sockets)} sockets open, under the ${f.load.connections}-connection create load (${f.probe.samples} samples)`,
      `p50 ${ms(f.probe.last.p50)}, p99 ${ms(f.probe.last.p99)}${f.probe.misses ? `; ${f.probe.misses} missed` : ''}`,
      `p99 ≤ ${LIVE_TARGETS.freshnessP99Ms} ms ${verdict(f.probe.misses === 0 && f.probe.last.p99 <= LIVE_TARGETS.freshnessP99Ms)}`,
      `the command alone p50 ${ms(f.probe.command.p50)}, p99 ${ms(f.probe.command.p99)}; the load ${round(f.load.perSecond)}/s, p99 ${ms(f.load.all.p99)}`,
    ]);
  }
  return rows;
}

function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.map((c) => c.replaceAll('|', '\\|')).join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/** Where a created task's CPU went in this run, process by process, and the statements it took. */
export function renderLiveCostSection(r: LiveCostResults): string {
  const w = r.writeCost;
  if (!w) return '';
  const per = (value: number, n: number) => ms(value / n);
  const created = w.createCpu.operations;
  const processRows = [
    ['Node (the service: HTTP, commands, projectors, live feed)', per(w.createCpu.spent.nodeMs, created), per(w.rawCpu.spent.nodeMs, w.rawCpu.operations)],
    ...[...new Set([...w.createCpu.spent.postgres, ...w.rawCpu.spent.postgres].map((p) => p.process))].slice(0, 12).map((name) => {
      const create = w.createCpu.spent.postgres.find((p) => p.process === name);
      const raw = w.rawCpu.spent.postgres.find((p) => p.process === name);
      return [`PostgreSQL: ${name}`, create ? per(create.ms, created) : '—', raw ? per(raw.ms, w.rawCpu.operations) : '—'];
    }),
    ['**total**', `**${ms(w.createCpu.totalMs)}**`, `**${ms(w.rawCpu.totalMs)}**`],
  ];
  const statementRows = w.statements.kinds.slice(0, 20).map((k) => [`\`${k.kind}\``, round(k.count / created, 2)]);
  return `### CPU per created task, process by process

${round(created)} tasks created over HTTP at ${w.create.connections} connections, CPU read from \`/proc\` until every
live projector had applied them; the raw INSERT (${round(w.rawCpu.operations)} rows, ${w.create.connections} workers
on the bench's own pool) measured the same way right after.

${markdownTable(['process', 'per created task', 'per raw INSERT'], processRows)}

Statements sent per created task, counted at the driver (${round(w.statements.total / created, 1)} in all):

${markdownTable(['statement', 'per created task'], statementRows)}
`;
}
