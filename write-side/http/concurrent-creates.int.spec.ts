import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadBarrier } from '../../test/support/load-barrier.ts';
import { startTestSystem, type TestSystem } from '../../test/support/test-system.ts';

const PARALLEL = 50;

const barrier = loadBarrier(PARALLEL);
let t: TestSystem;
beforeAll(async () => { t = await startTestSystem({ decorateStore: (store) => barrier.decorate(store) }); });

describe('parallel creates with the same client-chosen id', () => {
  it(`answer all ${PARALLEL} with the first result, as a create retried after it finished does`, async () => {
    const id = randomUUID();
    barrier.watch(id);
    const answers = await Promise.all(Array.from({ length: PARALLEL }, () => t.call('POST', '/api/tasks', { body: { id, title: 'Once' } })));
    const first = answers.find((answer) => answer.status === 201)?.body as { task_id: string; version: number; position: number };
    expect(first).toMatchObject({ task_id: id, version: 1 });
    expect(answers.map((answer) => answer.status)).toEqual(answers.map(() => 201));
    expect(answers.map((answer) => answer.body)).toEqual(answers.map(() => first));
    const history = await t.call('GET', `/api/tasks/${id}/history?min_position=${first.position}`);
    expect((history.body as { items: unknown[] }).items).toHaveLength(1);
  });
});
