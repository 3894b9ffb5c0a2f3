import { beforeAll, describe, expect, it } from 'vitest';
import { loadBarrier } from '../../test/support/load-barrier.ts';
import { startTestSystem, type TestSystem } from '../../test/support/test-system.ts';

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
