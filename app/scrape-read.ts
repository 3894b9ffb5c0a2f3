/**
 * Metrics read from the database at scrape time must not take /metrics down with the database: a failed
 * or hung read answers null within `timeoutMs` (the gauge then drops its series, `database_up` says why),
 * so Prometheus still scrapes the process and tells "database unreachable" from "service down".
 */
export async function scrapeRead<T>(read: () => Promise<T>, timeoutMs = 2000): Promise<T | null> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<null>((resolve) => { timer = setTimeout(() => resolve(null), timeoutMs); });
  try {
    return await Promise.race([read().catch(() => null), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * One read shared by every gauge that asks while it runs: prom-client collects all gauges of a scrape at
 * once, so three projection gauges cost one `projections` query, not three.
 */
export function sharedWhileRunning<T>(read: () => Promise<T>): () => Promise<T> {
  let running: Promise<T> | null = null;
  return () => {
    running ??= read().finally(() => { running = null; });
    return running;
  };
}
