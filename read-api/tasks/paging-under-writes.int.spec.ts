import { beforeAll, describe, expect, it } from 'vitest';
import type { TaskPage } from '../../contracts/queries.ts';
import { startTestSystem, type TestSystem } from '../../test/support/test-system.ts';

let t: TestSystem;
const existing = new Set<string>();
let position = 0;

beforeAll(async () => {
  t = await startTestSystem();
  for (let i = 0; i < 60; i++) {
    const response = await t.call('POST', '/api/tasks', { body: { title: `Existing ${i}` }, user: 'pager' });
    const answer = response.body as { task_id: string; position: number };
    existing.add(answer.task_id);
    position = answer.position;
  }
});

describe('paging while tasks are being created', () => {
  for (const order of ['desc', 'asc'] as const) {
    it(`returns each pre-existing task exactly once (sort=created, order=${order})`, async () => {
      let writing = true;
      let created = 0;
      const writer = (async () => {
        while (writing && created < 200) {
          await t.call('POST', '/api/tasks', { body: { title: `New ${created}` }, user: 'pager' });
          created += 1;
        }
      })();
      const seen: string[] = [];
      let cursor: string | null = null;
      try {
        do {
          const query = `/api/tasks?sort=created&order=${order}&limit=7&min_position=${position}${cursor ? `&cursor=${cursor}` : ''}`;
          const page = (await t.call('GET', query, { user: 'pager' })).body as TaskPage;
          seen.push(...page.items.map((item) => item.id));
          cursor = page.next_cursor;
          // Let the writer interleave between pages.
          await new Promise((resolve) => setTimeout(resolve, 5));
        } while (cursor);
      } finally {
        writing = false;
        await writer;
      }
      expect(created).toBeGreaterThan(0);
      expect(new Set(seen).size).toBe(seen.length);
      for (const id of existing) expect(seen.filter((s) => s === id)).toHaveLength(1);
    });
  }
});
