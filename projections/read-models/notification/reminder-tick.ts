import { Cron } from 'croner';

export interface ReminderTick {
  /** Stops ticking and waits for a pass in flight to finish. */
  stop(): Promise<void>;
}

/**
 * Runs `run(clock())` every `everySeconds` seconds on a croner schedule. A pass still running when the
 * next tick comes is not overlapped (croner's `protect`): the tick is skipped, and the pass in flight
 * goes on until it has nothing left to do.
 */
export function startReminderTick(deps: {
  run: (now: Date) => Promise<unknown>;
  clock: () => Date;
  everySeconds: number;
  onError: (error: unknown) => void;
}): ReminderTick {
  let inFlight: Promise<void> = Promise.resolve();
  const job = new Cron('* * * * * *', { interval: deps.everySeconds, protect: true }, async () => {
    inFlight = deps.run(deps.clock()).then(() => undefined, deps.onError);
    await inFlight;
  });
  return {
    async stop() {
      job.stop();
      await inFlight;
    },
  };
}
