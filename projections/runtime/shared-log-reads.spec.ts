import { describe, expect, it } from 'vitest';
import { checkpointOf, isBefore, type LogCheckpoint, type StoredEvent } from '../../contracts/events/stored-event.ts';
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

/** A log of events one per transaction, read after a checkpoint in log order; each read is recorded. */
function growingLog() {
  const events: StoredEvent[] = [];
  const reads: LogCheckpoint[] = [];
  const wakes: Array<() => void> = [];
  const append = (count: number) => {
    for (let i = 0; i < count; i++) {
      const position = events.length + 1;
      events.push({
        event_id: `e-${position}`, stream_id: `s-${position}`, version: 1, position, transaction_id: String(100 + position),
        type: 'TaskCreated', schema_version: 1, data: {}, metadata: { user_id: 'u', correlation_id: 'c', causation_id: null, traceparent: null, idempotency_key: null, request_id: 'r' }, created_at: '2026-12-04T00:00:00.000Z',
      });
    }
    for (const wake of wakes) wake();
  };
  // While held, each read finds what the log has when it starts and answers when the test releases it.
  const held: Array<() => void> = [];
  let holding = false;
  const log = {
    readLogAfter: (after: LogCheckpoint, limit: number) => {
      reads.push(after);
      const found = events.filter((e) => isBefore(after, checkpointOf(e))).slice(0, limit);
      return holding ? new Promise<StoredEvent[]>((resolve) => { held.push(() => resolve(found)); }) : Promise.resolve(found);
    },
  };
  const hold = (on: boolean) => { holding = on; };
  const release = (index: number) => held[index]?.();
  return { log, reads, append, hold, release, at: (position: number) => checkpointOf(events[position - 1] ?? { transaction_id: '0', position: 0 }), onAppend: (wake: () => void) => { wakes.push(wake); return () => undefined; } };
}

const positions = (events: readonly StoredEvent[]) => events.map((e) => e.position);
const START: LogCheckpoint = { transaction_id: '0', position: 0 };

describe('the latest events, remembered for every reader', () => {
  it('gives a reader whose checkpoint is in the run the events after it, and reads the log only after the run', async () => {
    const fake = growingLog();
    const shared = sharedLogReads(fake.log, fake.onAppend);
    fake.append(3);
    expect(positions(await shared.readLogAfter(START, 500))).toEqual([1, 2, 3]);
    fake.append(2);
    expect(positions(await shared.readLogAfter(fake.at(1), 500))).toEqual([2, 3, 4, 5]);
    expect(fake.reads).toEqual([START, fake.at(3)]);
    // A third reader at the end of the first read needs no read of the log at all for what the run holds.
    expect(positions(await shared.readLogAfter(fake.at(3), 2))).toEqual([4, 5]);
    expect(fake.reads).toHaveLength(2);
  });

  it('answers a read with no more than its limit, from the run and the log together', async () => {
    const fake = growingLog();
    const shared = sharedLogReads(fake.log, fake.onAppend);
    fake.append(4);
    await shared.readLogAfter(START, 2);
    expect(positions(await shared.readLogAfter(START, 3))).toEqual([1, 2, 3]);
  });

  it('lets a reader behind the run read the log itself', async () => {
    const fake = growingLog();
    const shared = sharedLogReads(fake.log, fake.onAppend);
    fake.append(5);
    await shared.readLogAfter(fake.at(2), 500);
    expect(positions(await shared.readLogAfter(START, 500))).toEqual([1, 2, 3, 4, 5]);
    expect(fake.reads).toEqual([fake.at(2), START]);
  });

  it('remembers a bounded number of events: a reader before the oldest reads the log', async () => {
    const fake = growingLog();
    const shared = sharedLogReads(fake.log, fake.onAppend, 3);
    fake.append(5);
    await shared.readLogAfter(START, 500);
    expect(positions(await shared.readLogAfter(fake.at(2), 500))).toEqual([3, 4, 5]);
    expect(positions(await shared.readLogAfter(fake.at(1), 500))).toEqual([2, 3, 4, 5]);
    expect(fake.reads).toEqual([START, fake.at(5), fake.at(1)]);
  });

  it('starts the run again where a reader ahead of it reads', async () => {
    const fake = growingLog();
    const shared = sharedLogReads(fake.log, fake.onAppend);
    fake.append(6);
    await shared.readLogAfter(START, 2);
    await shared.readLogAfter(fake.at(4), 500);
    expect(positions(await shared.readLogAfter(fake.at(5), 500))).toEqual([6]);
    expect(fake.reads).toEqual([START, fake.at(4), fake.at(6)]);
  });

  it('keeps the run whole when two reads after its end finish out of order', async () => {
    const fake = growingLog();
    const shared = sharedLogReads(fake.log, fake.onAppend);
    fake.append(2);
    await shared.readLogAfter(START, 500);
    fake.hold(true);
    fake.append(1);
    const shorter = shared.readLogAfter(fake.at(2), 500);
    fake.append(2);
    const longer = shared.readLogAfter(fake.at(2), 500);
    fake.release(1);
    expect(positions(await longer)).toEqual([3, 4, 5]);
    fake.release(0);
    expect(positions(await shorter)).toEqual([3]);
    fake.hold(false);
    expect(positions(await shared.readLogAfter(START, 500))).toEqual([1, 2, 3, 4, 5]);
    expect(positions(await shared.readLogAfter(fake.at(4), 500))).toEqual([5]);
  });
});
