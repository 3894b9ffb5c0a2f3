/** What decides a paced projector's pause: its interval, and how its last batch went. */
export interface PaceInput {
  /** The least time from one batch's start to the next's; 0 for an unpaced projector. */
  readonly paceMs: number;
  /** When the batch that just ended started, and now (the same clock, in ms). */
  readonly lastStarted: number;
  readonly now: number;
  /** How many events that batch applied: after an empty one the log holds nothing to gather. */
  readonly applied: number;
  /** Whether more is expected at once: an append woke the projector, or one of its quick re-reads came due. */
  readonly woken: boolean;
}

/**
 * Milliseconds a paced projector waits before its next batch; 0 to start it now (ADR 0046). Under a steady
 * stream of appends a projector that starts a batch on every wake-up applies a few events per transaction,
 * and a batch's fixed cost (the early log read, BEGIN, the lock and state read, its row statements, the
 * checkpoint, COMMIT, and the process switches each round trip causes) outweighs its events'. Waiting out the
 * rest of an interval from the last batch's start makes the batches of a busy log larger and fewer; an event
 * after a quiet spell, when the interval has long passed, is applied at once.
 */
export function pauseBeforeNextBatch({ paceMs, lastStarted, now, applied, woken }: PaceInput): number {
  if (paceMs <= 0 || applied === 0 || !woken) return 0;
  return Math.max(0, lastStarted + paceMs - now);
}
