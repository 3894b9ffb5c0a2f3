import type { EventStore } from '../../write-side/event-store/event-store.ts';

/**
 * Lines up concurrent commands deterministically: the first `parties` loads of the watched stream wait
 * until all of them have loaded, so every command decides on the same version and they race at the append.
 * A create decides without loading (its stream is new), so creates line up at their append instead.
 * The barrier opens once; later loads and appends pass.
 */
export function loadBarrier(parties: number) {
  let watched: string | null = null;
  let waiting: Array<() => void> = [];
  const arrive = (streamId: string): Promise<void> | undefined => {
    if (streamId !== watched) return undefined;
    return new Promise<void>((resolve) => {
      waiting.push(resolve);
      if (waiting.length === parties) { watched = null; for (const release of waiting) release(); waiting = []; }
    });
  };
  return {
    watch(streamId: string) { watched = streamId; },
    decorate(store: EventStore): EventStore {
      return {
        ...store,
        async readStream(streamId, options) {
          const events = await store.readStream(streamId, options);
          await arrive(streamId);
          return events;
        },
        async append(streamId, expected, events, idempotency) {
          await arrive(streamId);
          return store.append(streamId, expected, events, idempotency);
        },
      };
    },
  };
}
