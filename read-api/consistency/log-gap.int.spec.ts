import { beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type TestSystem } from '../../test/support/test-system.ts';

let t: TestSystem;
beforeAll(async () => { t = await startTestSystem({ env: { READ_YOUR_WRITES_TIMEOUT_MS: '1500' } }); });

/** What a failed append leaves: a position taken from the sequence that no event will ever have. */
async function consumePosition(): Promise<number> {
  const result = await t.system.database.db.query<{ position: string }>(`SELECT nextval(pg_get_serial_sequence('events', 'position'))::text AS position`);
  return Number(result.rows[0]?.position);
}

describe('min_position at a gap of the log', () => {
  it('counts a position no event will ever have as passed once the log has passed it', async () => {
    await t.call('POST', '/api/tasks', { body: { title: 'Before the gap' }, user: 'gappy' });
    const gap = await consumePosition();
    const after = (await t.call('POST', '/api/tasks', { body: { title: 'After the gap' }, user: 'gappy' })).body as { position: number };
    expect(after.position).toBeGreaterThan(gap);
    const listed = await t.call('GET', `/api/tasks?min_position=${gap}`, { user: 'gappy' });
    expect(listed.status).toBe(200);
    expect((listed.body as { items: Array<{ title: string }> }).items.map((task) => task.title)).toContain('Before the gap');
  });

  it('still waits for a position that is not in the log yet, and answers 503 when it does not come', async () => {
    const head = (await t.system.store.readLogHead()).position;
    expect((await t.call('GET', `/api/tasks?min_position=${head + 1000}`, { user: 'gappy' })).status).toBe(503);
  });
});
