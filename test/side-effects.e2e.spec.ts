import { beforeAll, describe, expect, it } from 'vitest';
import { FeedClient } from './support/feed-client.ts';
import { startTestSystem, type TestSystem } from './support/test-system.ts';
import { PROJECTIONS } from '../contracts/projection-names.ts';

/*
 * Recurrence, reminders, audit and live feed together, in one process: a daily task with a reminder; the (test) clock passes the reminder;
 * the task is completed → the next occurrence is listed, the audit log shows both tasks' events, the
 * notification is recorded, and a connected WebSocket client saw every change in order.
 */

let t: TestSystem;
beforeAll(async () => { t = await startTestSystem({ env: { REMINDER_TICK_SECONDS: '0' } }); });

const caughtUp = async (...names: string[]) => {
  for (const name of names) await t.system.projectors.find((p) => p.name === name)?.caughtUp();
};

describe('a recurring task with a reminder, end to end in one process', () => {
  it('reminds, recurs, audits and streams every change', async () => {
    const client = new FeedClient(`${t.baseUrl.replace('http', 'ws')}/ws`, { headers: { authorization: `Bearer ${await t.token('eve', { email: 'eve@example.com' })}` } });
    await client.opened;
    await client.until((frames) => frames.some((f) => f.type === 'ready'));

    const dueDay = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
    const created = await t.call('POST', '/api/tasks', {
      user: 'eve',
      body: {
        title: 'Water the plants', tags: ['home'],
        due: { datetime: `${dueDay}T09:00`, timezone: 'UTC' },
        reminders: [{ before_minutes: 30, channels: ['email'] }],
        recurrence: { rrule: 'FREQ=DAILY', anchor: 'due' },
      },
    });
    expect(created.status).toBe(201);
    const first = (created.body as { task_id: string }).task_id;
    await caughtUp(PROJECTIONS.notification);

    // The test clock passes the reminder's fire time (08:30 UTC on the due day).
    const run = await t.system.reminders.runDueReminders(new Date(`${dueDay}T08:30:10Z`));
    expect(run.sent).toBe(1);

    const completed = await t.call('POST', `/api/tasks/${first}/complete`, { user: 'eve' });
    expect(completed.status).toBe(200);
    await caughtUp(PROJECTIONS.recurring, PROJECTIONS.taskView, PROJECTIONS.audit, PROJECTIONS.notification);

    const list = await t.call('GET', '/api/tasks?sort=due&order=asc', { user: 'eve' });
    const items = (list.body as { items: Array<{ id: string; status: string; series_id: string | null; due: unknown }> }).items;
    expect(items).toHaveLength(2);
    const next = items.find((item) => item.id !== first);
    expect(next).toMatchObject({ status: 'open', series_id: first });
    const nextDay = new Date(Date.parse(`${dueDay}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    expect(next?.due).toEqual({ datetime: `${nextDay}T09:00`, timezone: 'UTC' });

    const audit = await t.call('GET', '/api/audit?limit=200', { user: 'eve' });
    const entries = (audit.body as { items: Array<{ task_id: string; action: string; actor_id: string }> }).items;
    expect(entries.filter((e) => e.task_id === first).map((e) => e.action).sort()).toEqual(['completed', 'created']);
    expect(entries.filter((e) => e.task_id === next?.id).map((e) => e.action)).toEqual(['created']);

    const notifications = await t.call('GET', '/api/notifications', { user: 'eve' });
    const reminders = (notifications.body as { items: Array<{ task_id: string; status: string; deliveries?: Array<{ delivered_via: string }> }> }).items;
    const sent = reminders.find((r) => r.task_id === first);
    expect(sent).toMatchObject({ status: 'sent' });
    expect(JSON.stringify(sent)).toContain('"delivered_via":"log"');

    await client.until(() => client.changes().length >= 3);
    expect(client.changes().map((f) => [f.task_id, f.event_type])).toEqual([
      [first, 'TaskCreated'], [first, 'TaskCompleted'], [next?.id, 'TaskCreated']]);
    const positions = client.changes().map((f) => f.position);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    client.close();
  });
});
