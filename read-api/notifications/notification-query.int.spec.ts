import { beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type TestSystem } from '../../test/support/test-system.ts';

/* GET /api/notifications over HTTP, with the scheduler's passes run at fixed instants (its tick is off). */

let t: TestSystem;
beforeAll(async () => { t = await startTestSystem({ env: { REMINDER_TICK_SECONDS: '0' } }); });

const HOUR = 60 * 60_000;
const BASE = Date.UTC(2031, 0, 1, 8);
const instant = (hours: number) => new Date(BASE + hours * HOUR).toISOString();

interface Accepted { task_id: string; position: number }
interface Item { task_id: string; reminder_index: number; title: string; fire_at: string; status: string; channels: string[]; deliveries: Array<Record<string, unknown>> }
interface Page { items: Item[]; next_cursor: string | null }

async function as(user: string, method: string, path: string, body?: unknown) {
  const token = await t.token(user, { email: `${user}@example.com` });
  return t.call(method, path, { user: null, headers: { authorization: `Bearer ${token}` }, ...(body === undefined ? {} : { body }) });
}
async function create(user: string, title: string, reminders: unknown[]): Promise<Accepted> {
  const response = await as(user, 'POST', '/api/tasks', { title, reminders });
  expect(response.status, response.text).toBe(201);
  return response.body as Accepted;
}
async function list(user: string, query = ''): Promise<Page> {
  const response = await as(user, 'GET', `/api/notifications${query}`);
  expect(response.status, response.text).toBe(200);
  return response.body as Page;
}
const summary = (page: Page) => page.items.map((i) => [i.title, i.reminder_index, i.status]);

let dentist: Accepted;
let taxes: Accepted;
let last: Accepted;

describe('GET /api/notifications', () => {
  beforeAll(async () => {
    dentist = await create('alice', 'Dentist', [{ at: instant(1), channels: ['email'] }, { at: instant(2), channels: ['push'] }]);
    taxes = await create('alice', 'Taxes', [{ at: instant(3) }]);
    last = await create('bob', 'Bob\'s', [{ at: instant(1) }]);
  });

  it('lists the caller\'s reminders, newest fire time first, all pending before their time', async () => {
    const page = await list('alice', `?min_position=${last.position}`);
    expect(summary(page)).toEqual([['Taxes', 0, 'pending'], ['Dentist', 1, 'pending'], ['Dentist', 0, 'pending']]);
    expect(page.items[2]).toEqual({
      task_id: dentist.task_id, reminder_index: 0, title: 'Dentist', fire_at: instant(1),
      reminder: { at: instant(1), channels: ['email'] }, channels: ['email'], status: 'pending', deliveries: [],
    });
    expect(page.next_cursor).toBeNull();
    expect(summary(await list('bob'))).toEqual([['Bob\'s', 0, 'pending']]);
  });

  it('shows what went out on each channel: without credentials, through the log', async () => {
    await t.system.reminders.runDueReminders(new Date(BASE + HOUR + 1000));
    const page = await list('alice');
    expect(summary(page)).toEqual([['Taxes', 0, 'pending'], ['Dentist', 1, 'pending'], ['Dentist', 0, 'sent']]);
    expect(page.items[2]?.deliveries).toEqual([{
      channel: 'email', status: 'sent', delivered_via: 'log', attempts: 1, late: false, last_error: null,
      sent_at: new Date(BASE + HOUR + 1000).toISOString(), next_attempt_at: null,
    }]);
    expect(t.logs).toEqual(expect.arrayContaining([expect.objectContaining({ delivered_via: 'log', channel: 'email', to: 'alice@example.com', task_id: dentist.task_id })]));
    const metrics = (await t.call('GET', '/metrics', { user: null })).text;
    expect(metrics).toMatch(/^notifications_sent_total\{channel="log"\} 2$/m); // alice's and bob's
    expect(metrics).not.toMatch(/^notifications_sent_total\{channel="email"\}/m);
  });

  it('shows a reminder of a completed task as cancelled, and filters by status', async () => {
    const done = await as('alice', 'POST', `/api/tasks/${taxes.task_id}/complete`);
    const { position } = done.body as Accepted;
    expect(summary(await list('alice', `?status=cancelled&min_position=${position}`))).toEqual([['Taxes', 0, 'cancelled']]);
    expect(summary(await list('alice', '?status=pending'))).toEqual([['Dentist', 1, 'pending']]);
    expect(summary(await list('alice', '?status=sent'))).toEqual([['Dentist', 0, 'sent']]);
  });

  it('pages with a cursor', async () => {
    const seen: Array<Array<string | number>> = [];
    let query = '?limit=1';
    for (;;) {
      const page = await list('alice', query);
      seen.push(...summary(page));
      if (!page.next_cursor) break;
      query = `?limit=1&cursor=${page.next_cursor}`;
    }
    expect(seen).toEqual([['Taxes', 0, 'cancelled'], ['Dentist', 1, 'pending'], ['Dentist', 0, 'sent']]);
  });

  it('rejects bad parameters with 400, and a missing token with 401', async () => {
    for (const query of ['?status=lost', '?limit=0', '?limit=201', '?cursor=nonsense', '?colour=red']) {
      const response = await as('alice', 'GET', `/api/notifications${query}`);
      expect(response.status, query).toBe(400);
    }
    expect((await t.call('GET', '/api/notifications', { user: null })).status).toBe(401);
  });
});
