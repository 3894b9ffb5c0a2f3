import { describe, expect, it } from 'vitest';
import type { StoredEvent } from '../../contracts/events/stored-event.ts';
import type { StreamCursor } from '../../contracts/ports/event-log.ts';
import { taskCompleted, taskCreated, taskUpdated } from '../../domain/task/testing/task-fixtures.ts';
import { inMemoryStreams } from '../testing/in-memory-log.ts';
import { storedStream } from '../testing/stored-stream.ts';
import { foldBatch, taskStates } from './fold-batch.ts';

const [created, renamed, retitled, completed] = storedStream([
  taskCreated(), taskUpdated({ title: 'Buy oat milk' }), taskUpdated({ title: 'Buy soy milk' }), taskCompleted(),
]);
const stream = [created, renamed, retitled, completed].flatMap((e) => (e ? [e] : []));

function countingLog(all: readonly StoredEvent[]) {
  const streams = inMemoryStreams(all);
  const reads: StreamCursor[][] = [];
  return { reads, log: { readStreamPrefixes: async (places: readonly StreamCursor[]) => { reads.push([...places]); return streams.readStreamPrefixes(places); } } };
}

const titleAfter = (steps: Awaited<ReturnType<typeof foldBatch>>, event: StoredEvent | undefined) => {
  const step = event ? steps.get(event) : undefined;
  return step?.after.kind === 'present' ? step.after.task.title : null;
};

describe('folding a batch for readers that tell of every change', () => {
  it('given a task created in the batch, reads nothing and gives each event the task after it', async () => {
    const { log, reads } = countingLog(stream);
    const steps = await foldBatch(log, stream, taskStates(10));
    expect(stream.map((e) => titleAfter(steps, e))).toEqual(['Buy milk', 'Buy oat milk', 'Buy soy milk', 'Buy soy milk']);
    expect(reads).toEqual([]);
  });

  it('given tasks it remembers nothing of, reads all their histories in one read', async () => {
    const other = storedStream([taskCreated(), taskUpdated({ title: 'x' })], { streamId: '9b0c6d1e-7a2b-4c3d-9e8f-0a1b2c3d4e5f', firstPosition: 300 });
    const { log, reads } = countingLog([...stream, ...other]);
    const steps = await foldBatch(log, [...stream.slice(2), ...other.slice(1)], taskStates(10));
    expect(reads).toHaveLength(1);
    expect(reads[0]?.map((place) => place.version).sort()).toEqual([1, 2]);
    expect(titleAfter(steps, retitled)).toBe('Buy soy milk');
    expect(titleAfter(steps, other[1])).toBe('x');
  });

  it('given a later version before an earlier one in the log, folds each event onto its own prefix of the stream', async () => {
    // The transaction of version 3 came first in commit order: the batch holds 1 and 3, and 2 comes later.
    const { log } = countingLog(stream);
    const remembered = taskStates(10);
    const first = await foldBatch(log, [created, retitled].flatMap((e) => (e ? [e] : [])), remembered);
    expect(titleAfter(first, retitled)).toBe('Buy soy milk');
    const beforeRetitle = retitled ? first.get(retitled)?.before : undefined;
    expect(beforeRetitle?.kind === 'present' ? beforeRetitle.task.title : null).toBe('Buy oat milk');

    const late = await foldBatch(log, [renamed, completed].flatMap((e) => (e ? [e] : [])), remembered);
    expect(titleAfter(late, renamed)).toBe('Buy oat milk');
    const done = completed ? late.get(completed)?.after : undefined;
    expect(done?.kind === 'present' ? [done.task.title, done.task.status] : null).toEqual(['Buy soy milk', 'completed']);
  });
});
