import { round } from './stats.ts';

/* What `npm run bench:soak` measured, and its section of docs/benchmarks.md. */

export const SOAK_SECTION = 'soak';

export interface MemorySample {
  /** Seconds since the load started (negative: before it). */
  readonly atSeconds: number;
  readonly rssBytes: number;
  readonly heapUsedBytes: number;
  readonly heapTotalBytes: number;
}

export interface MinuteFigures {
  readonly minute: number;
  readonly responses: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  readonly non2xx: number;
  readonly errors: number;
  readonly timeouts: number;
  readonly framesReceived: number;
}

export interface SoakResults {
  readonly date: string;
  readonly cores: number;
  readonly minutes: number;
  readonly warmupMinutes: number;
  readonly ratePerSecond: number;
  readonly connections: number;
  readonly sockets: number;
  readonly users: number;
  readonly mix: readonly string[];
  readonly samples: readonly MemorySample[];
  readonly perMinute: readonly MinuteFigures[];
  readonly framesReceived: number;
  readonly unexpectedCloses: readonly string[];
  readonly serviceErrorLines: number;
  readonly loadAverage: { readonly start: number; readonly end: number };
  readonly seconds: number;
}

export const errorCount = (r: SoakResults): number =>
  r.perMinute.reduce((sum, m) => sum + m.non2xx + m.errors + m.timeouts, 0) + r.unexpectedCloses.length + r.serviceErrorLines;

const mib = (bytes: number) => `${round(bytes / 2 ** 20, 1)} MiB`;
const signedMib = (bytes: number) => `${bytes >= 0 ? '+' : '−'}${round(Math.abs(bytes) / 2 ** 20, 1)} MiB`;
const ms = (value: number) => `${round(value, value < 10 ? 2 : 1)} ms`;

/** The memory figures at the three points the soak reports: before the load, after warm-up, at the end. */
export function memoryPoints(r: SoakResults): { start: MemorySample; warm: MemorySample; end: MemorySample } {
  const first = r.samples[0];
  const last = r.samples.at(-1);
  if (!first || !last) throw new Error('the soak took no memory sample');
  const warm = r.samples.find((sample) => sample.atSeconds >= r.warmupMinutes * 60) ?? last;
  return { start: first, warm, end: last };
}

const inMinute = (r: SoakResults, minute: number) => r.samples.filter((s) => s.atSeconds > (minute - 1) * 60 && s.atSeconds <= minute * 60);

/** Heap used right after collections: the lowest sample of a minute, which is what a leak raises. */
const heapFloor = (r: SoakResults, minute: number): number => Math.min(...inMinute(r, minute).map((s) => s.heapUsedBytes));

/** The minute's typical resident size: single samples catch the allocator's peaks. */
function rssMedian(r: SoakResults, minute: number): number {
  const sorted = inMinute(r, minute).map((s) => s.rssBytes).sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)] ?? Number.NaN;
}

export function renderSoakSection(r: SoakResults): string {
  const { start, warm, end } = memoryPoints(r);
  const errors = errorCount(r);
  const lastMinute = r.perMinute.at(-1)?.minute ?? 0;
  const firstAfterWarm = Math.min(r.warmupMinutes + 1, lastMinute);
  const afterWarm = r.perMinute.filter((m) => m.minute > r.warmupMinutes);
  const p99s = afterWarm.map((m) => m.p99);
  const minutesTable = r.perMinute.map((m) => {
    const rss = Math.max(...r.samples.filter((s) => s.atSeconds > (m.minute - 1) * 60 && s.atSeconds <= m.minute * 60).map((s) => s.rssBytes));
    return `| ${m.minute} | ${round(m.responses)} | ${ms(m.p50)} | ${ms(m.p99)} | ${ms(m.max)} | ${m.non2xx + m.errors + m.timeouts} | ${round(m.framesReceived)} | ${Number.isFinite(rss) ? mib(rss) : 'n/a'} | ${Number.isFinite(heapFloor(r, m.minute)) ? mib(heapFloor(r, m.minute)) : 'n/a'} |`;
  }).join('\n');
  return `## Soak

Measured by \`npm run bench:soak\` (\`bench/soak.ts\`) on ${r.date}: ${round(r.minutes)} minutes of \`todo serve all\`
(its own process, against a fresh embedded PostgreSQL) under a steady load of ${round(r.ratePerSecond)} requests/s from
autocannon in a separate process (${r.connections} connections; each cycles ${r.mix.join(', ')}; ${r.users} users), while
${r.sockets} live-feed WebSockets (${round(r.sockets / r.users)} per user) stay open and receive the users' changes. Memory is
sampled every 10 s: resident set size from /proc, heap from the service's own \`/metrics\`
(\`nodejs_heap_size_used_bytes\`). The first ${r.warmupMinutes === 1 ? 'minute is' : `${r.warmupMinutes} minutes are`} warm-up. Machine: ${r.cores} cores, load average
${round(r.loadAverage.start, 2)} at the start and ${round(r.loadAverage.end, 2)} at the end (shared with other work, so
latencies are the machine's as much as the service's).

| figure | start (before load) | after warm-up (${round(warm.atSeconds)} s) | end (${round(end.atSeconds)} s) | growth after warm-up |
| --- | --- | --- | --- | --- |
| RSS | ${mib(start.rssBytes)} | ${mib(warm.rssBytes)} | ${mib(end.rssBytes)} | ${signedMib(end.rssBytes - warm.rssBytes)} |
| heap used | ${mib(start.heapUsedBytes)} | ${mib(warm.heapUsedBytes)} | ${mib(end.heapUsedBytes)} | ${signedMib(end.heapUsedBytes - warm.heapUsedBytes)} |
| RSS, median of the minute | — | ${mib(rssMedian(r, firstAfterWarm))} (minute ${firstAfterWarm}) | ${mib(rssMedian(r, lastMinute))} (minute ${lastMinute}) | ${signedMib(rssMedian(r, lastMinute) - rssMedian(r, firstAfterWarm))} |
| heap used, floor of the minute | — | ${mib(heapFloor(r, firstAfterWarm))} (minute ${firstAfterWarm}) | ${mib(heapFloor(r, lastMinute))} (minute ${lastMinute}) | ${signedMib(heapFloor(r, lastMinute) - heapFloor(r, firstAfterWarm))} |
| heap total | ${mib(start.heapTotalBytes)} | ${mib(warm.heapTotalBytes)} | ${mib(end.heapTotalBytes)} | ${signedMib(end.heapTotalBytes - warm.heapTotalBytes)} |

Responses ${round(r.perMinute.reduce((sum, m) => sum + m.responses, 0))}, errors ${errors} (non-2xx, socket errors and timeouts of
the load, live connections closed unasked: ${r.unexpectedCloses.length}, error lines in the service's log: ${r.serviceErrorLines}),
live-feed frames received ${round(r.framesReceived)}.${r.perMinute.some((m) => m.responses < r.ratePerSecond * 60 * 0.95)
    ? ' The rate is the load generator\'s ceiling: in the minutes with fewer responses the busy machine did not reach it.' : ''} p99 after warm-up: ${p99s.length > 0 ? `${ms(Math.min(...p99s))} to ${ms(Math.max(...p99s))}` : 'n/a'}.

| minute | responses | p50 | p99 | max | errors | frames | RSS max | heap floor |
| --- | --- | --- | --- | --- | --- | --- | --- | --- |
${minutesTable}
`;
}
