/** After a wake-up: re-reads at 5, 10, 20 … 320 ms, about 0.6 s in all. */
const FAST_POLLS = 7;
const FAST_POLL_BASE_MS = 5;

/** How a rest ended: an append woke the reader, or one of the quick re-reads or the idle poll came due. */
export type Rested = 'woken' | 'quick-poll' | 'idle-poll';

/** How a log reader waits for more: woken by append notifications, with polls as a safety net. */
export interface LogWakeups {
  /** Waits until woken (true), at most `ms` (false); returns at once when a wake-up came while the reader was busy. */
  idle(ms: number): Promise<boolean>;
  /**
   * After a batch that did not fill up: the next quick re-read while a wake-up's fast polls last, else
   * the idle poll. An append can commit while an older transaction is still open; the log read then stops
   * short of it until that one ends, which sends no notification — hence the quick re-reads.
   */
  rest(idlePollMs: number): Promise<Rested>;
  wake(): void;
  close(): void;
}

export function logWakeups(onAppend: (wake: () => void) => () => void): LogWakeups {
  // A wake-up that arrives mid-batch must not be lost: it is remembered until the next idle wait.
  let pendingWake = false;
  let wakeIdle: (() => void) | undefined;
  let fastPollsLeft = 0;
  const wake = () => {
    pendingWake = true;
    fastPollsLeft = FAST_POLLS;
    wakeIdle?.();
  };
  const unsubscribe = onAppend(wake);
  const idle = (ms: number) => new Promise<boolean>((resolve) => {
    if (pendingWake) { pendingWake = false; resolve(true); return; }
    const timer = setTimeout(() => { wakeIdle = undefined; resolve(false); }, ms);
    wakeIdle = () => { clearTimeout(timer); wakeIdle = undefined; pendingWake = false; resolve(true); };
  });
  return {
    idle,
    async rest(idlePollMs) {
      if (fastPollsLeft > 0) {
        fastPollsLeft -= 1;
        return (await idle(FAST_POLL_BASE_MS * 2 ** (FAST_POLLS - 1 - fastPollsLeft))) ? 'woken' : 'quick-poll';
      }
      return (await idle(idlePollMs)) ? 'woken' : 'idle-poll';
    },
    wake,
    close: unsubscribe,
  };
}
