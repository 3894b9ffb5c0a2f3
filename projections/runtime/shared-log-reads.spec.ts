import { describe, expect, it } from 'vitest';
import type { LogCheckpoint, StoredEvent } from '../../contracts/events/stored-event.ts';
import { sharedLogReads } from './shared-log-reads.ts';

const AT: LogCheckpoint = { transaction_id: '10', position: 5 };

/** A log whose reads stay in flight until the test finishes them, and an append signal the test fires. */
function fakeLog() {
  const reads: Array<{ after: LogCheckpoint; limit: number; finish: () => void }> = [];
  const wakes: Array<() => void> = [];
  const log = {
    readLogAfter: (after: LogCheckpoint, limit: number) => new Promise<StoredEvent[]>((resolve) => { reads.push({ after, limit, finish: () => resolve([]) }); }),
  };
  return { log, reads, onAppend: (wake: () => void) => { wakes.push(wake); return () => undefined; }, append: () => { for (const wake of wakes) wake(); } };
}

describe('log reads shared between the readers of one process', () => {
  it('lets a reader join an identical read in flight, and both get the same events', async () => {
    const fake = fakeLog();
    const shared = sharedLogReads(fake.log, fake.onAppend);
    const first = shared.readLogAfter(AT, 500);
    const second = shared.readLogAfter(AT, 500);
    expect(fake.reads).toHaveLength(1);
    fake.reads[0]?.finish();
    expect(await second).toBe(await first);
  });

  it('does not join a read that started before the latest append wake-up: it may stop short of that append', () => {
    const fake = fakeLog();
    const shared = sharedLogReads(fake.log, fake.onAppend);
    void shared.readLogAfter(AT, 500);
    fake.append();
    void shared.readLogAfter(AT, 500);
    void shared.readLogAfter(AT, 500);
    expect(fake.reads).toHaveLength(2);
  });

  it('reads again once the shared read has finished, and reads other checkpoints or limits on their own', async () => {
    const fake = fakeLog();
    const shared = sharedLogReads(fake.log, fake.onAppend);
    const first = shared.readLogAfter(AT, 500);
    void shared.readLogAfter({ transaction_id: '10', position: 6 }, 500);
    void shared.readLogAfter(AT, 100);
    expect(fake.reads).toHaveLength(3);
    fake.reads[0]?.finish();
    await first;
    void shared.readLogAfter(AT, 500);
    expect(fake.reads).toHaveLength(4);
  });
});
