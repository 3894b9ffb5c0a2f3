import { describe, expect, it } from 'vitest';
import type { StoredEvent } from '../../contracts/events/stored-event.ts';
import { taskCompleted, taskCreated, taskUpdated } from '../../domain/task/testing/task-fixtures.ts';
import { projectionSpec, type SpecSubject } from './projection-spec.ts';
import { storedStream } from './stored-stream.ts';

const events = storedStream([taskCreated(), taskUpdated({ title: 'x' }), taskCompleted()]);

/** Remembers each event once by version, or (careless) every time it comes. */
const recorder = (careless: boolean): SpecSubject<number> => async () => {
  const seen: number[] = [];
  return {
    feed: async (batch: readonly StoredEvent[]) => {
      for (const event of batch) if (careless || !seen.includes(event.version)) seen.push(event.version);
    },
    rows: async () => [...seen].sort(),
  };
};

describe('the projection specification', () => {
  it('passes a consumer that ends with the same rows however the events are delivered', async () => {
    await expect(projectionSpec(recorder(false)).given(events).expectRows([1, 2, 3])).resolves.toEqual([1, 2, 3]);
  });

  it('fails a consumer that the same events fed twice change, naming the delivery', async () => {
    await expect(projectionSpec(recorder(true)).given(events).expectRows([1, 2, 3])).rejects.toThrow(/delivered twice/);
  });

  it('fails rows that differ from the expected ones', async () => {
    await expect(projectionSpec(recorder(false)).given(events).expectRows([1, 2])).rejects.toThrow();
  });
});
