/** Small numeric helpers shared by the benchmarks. */

export interface LatencySummary {
  readonly count: number;
  /** Milliseconds. */
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
}

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1] ?? Number.NaN;
}

export function summarize(values: readonly number[]): LatencySummary {
  const sorted = [...values].sort((a, b) => a - b);
  return { count: sorted.length, p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted.at(-1) ?? Number.NaN };
}

export interface Throughput {
  readonly ops: number;
  readonly seconds: number;
  readonly perSecond: number;
  readonly latency: LatencySummary;
}

/**
 * Runs `op` from `concurrency` workers until `seconds` have passed or `maxOps` were started, whichever
 * comes first, and returns the completed operations per second (and each operation's latency).
 */
export async function runBounded(
  limits: { readonly concurrency: number; readonly seconds: number; readonly maxOps: number },
  op: (worker: number) => Promise<void>,
): Promise<Throughput> {
  const started = performance.now();
  const deadline = started + limits.seconds * 1000;
  const latencies: number[] = [];
  let issued = 0;
  const worker = async (index: number): Promise<void> => {
    while (issued < limits.maxOps && performance.now() < deadline) {
      issued += 1;
      const before = performance.now();
      await op(index);
      latencies.push(performance.now() - before);
    }
  };
  await Promise.all(Array.from({ length: limits.concurrency }, (_, index) => worker(index)));
  const seconds = (performance.now() - started) / 1000;
  return { ops: latencies.length, seconds, perSecond: latencies.length / seconds, latency: summarize(latencies) };
}

export const round = (value: number, digits = 0): string =>
  Number.isFinite(value) ? value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }) : 'n/a';
