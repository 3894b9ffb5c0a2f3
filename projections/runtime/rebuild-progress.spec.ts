import { describe, expect, it } from 'vitest';
import { everyInterval, trackProgress } from './rebuild-progress.ts';

describe('a rebuild\'s progress', () => {
  it('has no estimate before the first batch', () => {
    const clock = { ms: 0 };
    expect(trackProgress('task-view', 1000, () => clock.ms).current())
      .toEqual({ projection: 'task-view', events: 0, total: 1000, percent: 0, events_per_second: 0, eta_seconds: null });
  });

  it('estimates the time left from the rate so far', () => {
    const clock = { ms: 0 };
    const progress = trackProgress('task-view', 1000, () => clock.ms);
    clock.ms = 2000;
    expect(progress.update(250)).toEqual({ projection: 'task-view', events: 250, total: 1000, percent: 25, events_per_second: 125, eta_seconds: 6 });
  });

  it('stops at 100% and no time left when more events came than the estimate', () => {
    const clock = { ms: 0 };
    const progress = trackProgress('audit', 100, () => clock.ms);
    clock.ms = 1000;
    expect(progress.update(120)).toMatchObject({ percent: 100, eta_seconds: 0 });
  });
});

describe('a periodic report', () => {
  it('is due once per interval, starting one interval after it was made', () => {
    const clock = { ms: 0 };
    const due = everyInterval(2000, () => clock.ms);
    const seen: boolean[] = [];
    for (const ms of [500, 2000, 2500, 3999, 4000]) {
      clock.ms = ms;
      seen.push(due());
    }
    expect(seen).toEqual([false, true, false, false, true]);
  });
});
