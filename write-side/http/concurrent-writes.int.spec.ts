import { beforeAll, describe, expect, it } from 'vitest';
import type { EventStore } from '../event-store/event-store.ts';
import { startTestSystem, type TestSystem } from '../../test/support/test-system.ts';

/**
 * Lines up concurrent commands deterministically: loads of the watched stream wait until `parties` of them
 * have loaded, so every command decides on the same version and they race at the append.
 */
function loadBarrier(parties: number) {
  let watched: string | null = null;
  let waiting: Array<() => void> = [];
  return {
    watch(streamId: string) { watched = streamId; },
    decorate(store: EventStore): EventStore {
      return {
        ...store,
        async readStream(streamId, options) {
          const events = await store.readStream(streamId, options);
          if (streamId === watched) {
            await new Promise<void>((resolve) => {
              waiting.push(resolve);
              if (waiting.length === parties) { for (const release of waiting) release(); waiting = []; }
            });
          }
          return events;
        },
      };
    },
  };
}

const barrier = loadBarrier(2);
let t: TestSystem;
beforeAll(async () => { t = await startTestSystem({ decorateStore: (store) => barrier.decorate(store) }); });

describe('a conflicting concurrent write', () => {
  it('lets one of two writers that loaded the same version win; the other gets 409 with the current version', async () => {
    const created = await t.call('POST', '/api/tasks', { body: { title: 'Contended' } });
    const { task_id } = created.body as { task_id: string };
    barrier.watch(task_id);
    const [a, b] = await Promise.all([
      t.call('PATCH', `/api/tasks/${task_id}`, { body: { title: 'from A' } }),
      t.call('PATCH', `/api/tasks/${task_id}`, { body: { title: 'from B' } }),
    ]);
    expect([a?.status, b?.status].sort()).toEqual([200, 409]);
    const loser = a?.status === 409 ? a : b;
    expect(loser?.headers.get('content-type')).toContain('application/problem+json');
    expect(loser?.body).toMatchObject({ status: 409, type: 'urn:todo:problem:version_conflict', current_version: 2 });
    barrier.watch('');
    expect((await t.system.store.readStream(task_id)).map((e) => e.version)).toEqual([1, 2]);
  });
});
