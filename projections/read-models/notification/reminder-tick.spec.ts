import { setImmediate as nextTurn } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { startReminderTick } from './reminder-tick.ts';

const fixed = new Date('2030-01-01T00:00:00Z');

describe('the reminder tick', () => {
  it('runs a pass at the injected clock\'s time, and stopping waits for the pass in flight', async () => {
    let signalStarted: () => void = () => undefined;
    const started = new Promise<void>((resolve) => { signalStarted = resolve; });
    let release: () => void = () => undefined;
    const runs: Date[] = [];
    const tick = startReminderTick({
      clock: () => fixed,
      everySeconds: 1,
      onError: () => undefined,
      run: async (now) => {
        runs.push(now);
        signalStarted();
        await new Promise<void>((resolve) => { release = resolve; });
      },
    });
    await started;
    let stopped = false;
    const stopping = tick.stop().then(() => { stopped = true; });
    await nextTurn();
    expect(stopped).toBe(false);
    release();
    await stopping;
    expect(runs).toEqual([fixed]);
  });

  it('reports a failed pass and keeps the schedule alive', async () => {
    const errors: unknown[] = [];
    let signalSecond: () => void = () => undefined;
    const second = new Promise<void>((resolve) => { signalSecond = resolve; });
    let passes = 0;
    const tick = startReminderTick({
      clock: () => fixed,
      everySeconds: 1,
      onError: (error) => errors.push(error),
      run: async () => {
        passes += 1;
        if (passes === 2) signalSecond();
        throw new Error(`pass ${passes} failed`);
      },
    });
    await second;
    await tick.stop();
    expect(String(errors[0])).toContain('pass 1 failed');
  });
});
