import { beforeAll, describe, expect, it } from 'vitest';
import { APPENDS_CHANNEL } from '../../contracts/ports/event-log.ts';
import { startTestSystem, type TestSystem } from '../support/test-system.ts';

/*
 * An event a read model cannot store — one appended before the write side refused such values — stops the
 * projector loudly instead of being skipped: /ready answers 503 naming it, projection_stopped is 1, and
 * the task is never shown at a later version with the value the event should have changed.
 */

let t: TestSystem;

beforeAll(async () => {
  t = await startTestSystem();
});

/** Appends a TaskUpdated as an old log would hold it, bypassing the decider, and announces it. */
async function appendLegacyUpdate(taskId: string, version: number, changes: Record<string, unknown>): Promise<void> {
  await t.system.database.db.query('UPDATE streams SET version = $2 WHERE stream_id = $1', [taskId, version]);
  await t.system.database.db.query(
    `INSERT INTO events (event_id, stream_id, version, type, schema_version, data, metadata)
     VALUES (gen_random_uuid(), $1, $2, 'TaskUpdated', 1, $3::jsonb,
             jsonb_build_object('user_id', 'alice', 'correlation_id', gen_random_uuid(), 'causation_id', NULL,
               'traceparent', NULL, 'idempotency_key', NULL, 'request_id', NULL))`,
    [taskId, version, JSON.stringify({ task_id: taskId, changes, updated_at: new Date().toISOString() })],
  );
  await t.system.database.db.query(`SELECT pg_notify('${APPENDS_CHANNEL}', '')`);
}

async function untilNotReady(): Promise<{ status: number; body: unknown }> {
  for (let i = 0; i < 300; i++) {
    const ready = await t.call('GET', '/ready', { user: null });
    if (ready.status === 503) return ready;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return t.call('GET', '/ready', { user: null });
}

describe('a read model meeting a value it cannot store', () => {
  it('stops before it, says so on /ready and in projection_stopped, and never serves the task past it', async () => {
    const created = await t.call('POST', '/api/tasks', { body: { title: 'old log', due: { date: '2026-05-01' } } });
    const { task_id: taskId, position } = created.body as { task_id: string; position: number };
    expect((await t.call('GET', `/api/tasks/${taskId}?min_position=${position}`)).status).toBe(200);
    expect((await t.call('GET', '/ready', { user: null })).status).toBe(200);

    await appendLegacyUpdate(taskId, 2, { due: { date: '0000-01-01' } });
    const ready = await untilNotReady();
    expect(ready.status).toBe(503);
    const waiting = (ready.body as { waiting_for: Array<Record<string, unknown>> }).waiting_for;
    expect(waiting.find((entry) => entry['reason'] === 'stopped')).toMatchObject({ projection: 'task-view', stream_id: taskId });

    // The task with that due can only be changed by fixing the due: the rules judge the whole task.
    expect((await t.call('PATCH', `/api/tasks/${taskId}`, { body: { title: 'renamed' } })).body).toMatchObject({ errors: [{ path: 'due.date' }] });
    const fixed = await t.call('PATCH', `/api/tasks/${taskId}`, { body: { title: 'renamed', due: { date: '2026-06-01' } } });
    expect(fixed.status, fixed.text).toBe(200);

    const task = await t.call('GET', `/api/tasks/${taskId}`);
    expect((await t.call('GET', '/ready', { user: null })).status).toBe(503);
    expect(task.body).toMatchObject({ version: 1, title: 'old log', due: { date: '2026-05-01' } });
    const metrics = await t.call('GET', '/metrics', { user: null });
    expect(metrics.text).toMatch(/^projection_stopped\{projection="task-view"\} 1$/m);
  });
});
