import { describe, expect, it } from 'vitest';
import { pauseBeforeNextBatch } from './batch-pace.ts';

const busy = { paceMs: 25, lastStarted: 1_000, applied: 12, woken: true };

describe('the pause before a paced projector’s next batch', () => {
  it('waits out the rest of the interval from the last batch’s start while appends keep waking it', () => {
    expect(pauseBeforeNextBatch({ ...busy, now: 1_004 })).toBe(21);
  });

  it('starts at once when the interval has passed, as after a quiet spell', () => {
    expect(pauseBeforeNextBatch({ ...busy, now: 1_025 })).toBe(0);
    expect(pauseBeforeNextBatch({ ...busy, now: 61_000 })).toBe(0);
  });

  it('does not wait after a batch that applied nothing: there is nothing to gather', () => {
    expect(pauseBeforeNextBatch({ ...busy, applied: 0, now: 1_004 })).toBe(0);
  });

  it('does not wait after the idle poll: no append is on its way', () => {
    expect(pauseBeforeNextBatch({ ...busy, woken: false, now: 1_004 })).toBe(0);
  });

  it('never waits for an unpaced projector', () => {
    expect(pauseBeforeNextBatch({ ...busy, paceMs: 0, now: 1_004 })).toBe(0);
  });
});
