/** Where a rebuild stands: what the start-up log lines, `/ready` and the CLI report. */
export interface RebuildProgress {
  readonly projection: string;
  readonly events: number;
  /**
   * Events to replay, estimated when the rebuild began as the log head's position (positions have gaps
   * where appends rolled back, and events appended meanwhile come on top): the percentage is capped at 100.
   */
  readonly total: number;
  readonly percent: number;
  readonly events_per_second: number;
  /** Seconds left at the rate so far; null before the first batch. */
  readonly eta_seconds: number | null;
}

export interface ProgressTracker {
  update(events: number): RebuildProgress;
  current(): RebuildProgress;
}

/** Follows one rebuild: rate and estimate from the events replayed so far since `now()` at the start. */
export function trackProgress(projection: string, total: number, now: () => number = () => performance.now()): ProgressTracker {
  const started = now();
  let latest: RebuildProgress = { projection, events: 0, total, percent: 0, events_per_second: 0, eta_seconds: null };
  return {
    update(events) {
      const seconds = (now() - started) / 1000;
      const rate = seconds > 0 ? events / seconds : 0;
      latest = {
        projection,
        events,
        total,
        percent: total > 0 ? Math.min(100, Math.floor((events / total) * 100)) : 100,
        events_per_second: Math.round(rate),
        eta_seconds: rate > 0 ? Math.ceil(Math.max(0, total - events) / rate) : null,
      };
      return latest;
    },
    current: () => latest,
  };
}

/** True at most once per `intervalMs` (the first time `intervalMs` after it was made): for periodic reports. */
export function everyInterval(intervalMs: number, now: () => number = () => performance.now()): () => boolean {
  let last = now();
  return () => {
    const at = now();
    if (at - last < intervalMs) return false;
    last = at;
    return true;
  };
}
