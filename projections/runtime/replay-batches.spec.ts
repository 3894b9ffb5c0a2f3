import { describe, expect, it } from 'vitest';
import type { StreamEvent } from '../../contracts/events/stored-event.ts';
import type { Transactional, TransactionScope } from '../../contracts/ports/sql.ts';
import { replayBatches } from './replay-batches.ts';

// A transaction that runs the work and records nothing: this spec is about what each apply receives.
const scope: TransactionScope = {
  query: () => Promise.reject(new Error('no SQL here')),
  copyRows: () => Promise.reject(new Error('no SQL here')),
};
const db: Transactional = { ...scope, transaction: (work) => work(scope) };

/** A stream-ordered log: "a1 a2 b1 …" is stream a versions 1, 2, then stream b version 1. */
function log(text: string): StreamEvent[] {
  return text.split(' ').map((label, i) => ({
    stream_id: label.slice(0, 1), version: Number(label.slice(1)), position: i + 1, type: 'T', schema_version: 1, data: null,
  }));
}
const labels = (events: readonly StreamEvent[]): string => events.map((e) => `${e.stream_id}${e.version}`).join(' ');

async function applies(events: StreamEvent[], options: { batchSize: number; wholeStreams?: boolean; keep?: (e: StreamEvent) => boolean }): Promise<string[]> {
  const seen: string[] = [];
  await replayBatches(db, {
    ...options,
    read: async (after) => {
      const from = after ? events.indexOf(after) + 1 : 0;
      return events.slice(from, from + options.batchSize);
    },
    apply: async (_tx, batch) => { seen.push(labels(batch)); },
  });
  return seen;
}

describe('replayBatches', () => {
  it('given batches cut through streams, applies whole streams: a batch\'s last stream waits for its end', async () => {
    expect(await applies(log('a1 a2 b1 b2 b3 c1 d1 d2 d3 d4 d5 e1'), { batchSize: 4, wholeStreams: true }))
      .toEqual(['a1 a2', 'b1 b2 b3 c1', 'd1 d2 d3 d4 d5', 'e1']);
  });

  it('holds a stream longer than a batch across as many batches as it takes', async () => {
    expect(await applies(log('a1 b1 b2 b3 b4 b5 b6 b7 c1'), { batchSize: 3, wholeStreams: true }))
      .toEqual(['a1', 'b1 b2 b3 b4 b5 b6 b7', 'c1']);
  });

  it('applies the batches as read when whole streams are not asked for', async () => {
    expect(await applies(log('a1 a2 b1 b2 b3 c1'), { batchSize: 4 })).toEqual(['a1 a2 b1 b2', 'b3 c1']);
  });

  it('ends at the first event past its range, and still applies what it held', async () => {
    expect(await applies(log('a1 a2 b1 b2 c1 c2 d1'), { batchSize: 3, wholeStreams: true, keep: (e) => e.stream_id < 'c' }))
      .toEqual(['a1 a2', 'b1 b2']);
  });

  it('applies the held stream when the log ends on a full batch', async () => {
    expect(await applies(log('a1 b1 b2 b3'), { batchSize: 2, wholeStreams: true })).toEqual(['a1', 'b1 b2 b3']);
  });

  it('applies nothing for an empty log', async () => {
    expect(await applies([], { batchSize: 5, wholeStreams: true })).toEqual([]);
  });
});
