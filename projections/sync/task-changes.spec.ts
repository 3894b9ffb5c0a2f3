import { describe, expect, it } from 'vitest';
import type { StoredEvent } from '../../contracts/events/stored-event.ts';
import type { StreamCursor } from '../../contracts/ports/event-log.ts';
import { taskCompleted, taskCreated, taskDeleted, taskUpdated } from '../../domain/task/testing/task-fixtures.ts';
import { inMemoryStreams } from '../testing/in-memory-log.ts';
import { storedStream } from '../testing/stored-stream.ts';
import { taskChangesOf } from './task-changes.ts';
import { taskStates } from '../runtime/fold-batch.ts';

const events = storedStream([taskCreated(), taskUpdated({ title: 'Buy oat milk' }), taskCompleted(), taskDeleted()]);

function countingLog(all: readonly StoredEvent[]) {
  const streams = inMemoryStreams(all);
  const reads: number[] = [];
  return {
    reads,
    log: {
      readStreamPrefixes: async (places: readonly StreamCursor[]) => {
        reads.push(...places.map((place) => place.version));
        return streams.readStreamPrefixes(places);
      },
    },
  };
}

describe('the task changes of a batch', () => {
  it('gives each task event the task as of that event, null once deleted', async () => {
    const { log } = countingLog(events);
    const changes = (await taskChangesOf(log, events, taskStates(10))).map(({ change }) => change);
    expect(changes.map((c) => [c.version, c.event_type, c.task?.title ?? null, c.task?.status ?? null])).toEqual([
      [1, 'TaskCreated', 'Buy milk', 'open'],
      [2, 'TaskUpdated', 'Buy oat milk', 'open'],
      [3, 'TaskCompleted', 'Buy oat milk', 'completed'],
      [4, 'TaskDeleted', null, null],
    ]);
  });

  it('continues from the remembered state, and reads what it has none of once per batch, all tasks in one read', async () => {
    const { log, reads } = countingLog(events);
    const remembered = taskStates(10);
    await taskChangesOf(log, events.slice(0, 2), remembered);
    await taskChangesOf(log, events.slice(2), remembered);
    expect(reads).toEqual([]);

    const { log: fresh, reads: freshReads } = countingLog(events);
    const [third] = await taskChangesOf(fresh, events.slice(2), taskStates(10));
    expect(freshReads).toEqual([2]);
    expect(third?.change).toMatchObject({ version: 3, task: { title: 'Buy oat milk', status: 'completed' } });
  });

  it('remembers nothing of a batch that failed half way', async () => {
    const remembered = taskStates(10);
    const failing = { readStreamPrefixes: () => Promise.reject(new Error('the database went away')) };
    const other = storedStream([taskCreated(), taskUpdated({ title: 'x' })], { streamId: '9b0c6d1e-7a2b-4c3d-9e8f-0a1b2c3d4e5f', firstPosition: 300 });
    await expect(taskChangesOf(failing, [...events.slice(0, 2), ...other.slice(1)], remembered)).rejects.toThrow('went away');
    // Had the first task's state been remembered, its next change would need no read.
    const { log, reads } = countingLog([...events, ...other]);
    await taskChangesOf(log, events.slice(2), remembered);
    expect(reads).toEqual([2]);
  });
});
