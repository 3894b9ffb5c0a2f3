import { beforeAll, describe, expect, it } from 'vitest';
import { AUDITED_FIELDS, type AuditEntry, type AuditPage } from '../../contracts/audit.ts';
import { startTestSystem, type TestSystem } from '../../test/support/test-system.ts';

let t: TestSystem;
let lastPosition = 0;

/** A command as `user`; remembers its position so queries can wait for the audit log to have it. */
async function command(method: string, path: string, user: string, body?: unknown, headers?: Record<string, string>) {
  const response = await t.call(method, path, { user, ...(body === undefined ? {} : { body }), ...(headers ? { headers } : {}) });
  expect(response.status).toBeLessThan(300);
  const answer = response.body as { task_id: string; position: number };
  lastPosition = Math.max(lastPosition, answer.position);
  return answer;
}

async function auditAs(user: string, query: string, options: { admin?: boolean } = {}) {
  const token = await t.token(user, { admin: options.admin ?? false });
  return t.call('GET', `/api/audit?min_position=${lastPosition}${query ? `&${query}` : ''}`, {
    user: null, headers: { authorization: `Bearer ${token}` },
  });
}

async function entries(user: string, query = '', options: { admin?: boolean } = {}): Promise<AuditEntry[]> {
  const response = await auditAs(user, `limit=200${query ? `&${query}` : ''}`, options);
  expect(response.status).toBe(200);
  return (response.body as AuditPage).items;
}

let taskId = '';
const positions: number[] = [];
let bobsTask = '';

beforeAll(async () => {
  t = await startTestSystem();
  const created = await command('POST', '/api/tasks', 'alice', { title: 'Pay rent', tags: ['home'] }, { 'x-correlation-id': 'rent-2026' });
  taskId = created.task_id;
  positions.push(created.position);
  positions.push((await command('PATCH', `/api/tasks/${taskId}`, 'alice', { title: 'Pay the rent', priority: 'high' })).position);
  positions.push((await command('POST', `/api/tasks/${taskId}/complete`, 'alice')).position);
  positions.push((await command('POST', `/api/tasks/${taskId}/reopen`, 'alice')).position);
  positions.push((await command('DELETE', `/api/tasks/${taskId}`, 'alice')).position);
  for (const title of ['Water plants', 'Call mum', 'Book flights']) await command('POST', '/api/tasks', 'alice', { title });
  bobsTask = (await command('POST', '/api/tasks', 'bob', { title: 'Bob\'s secret' })).task_id;
});

describe('GET /api/audit', () => {
  it('shows a task\'s life as five entries, newest first, each with what it changed', async () => {
    const items = await entries('alice', `task_id=${taskId}`);
    expect(items.map((e) => e.action)).toEqual(['deleted', 'reopened', 'completed', 'updated', 'created']);
    expect(items.map((e) => e.position)).toEqual([...positions].reverse());
    for (const entry of items) expect(entry).toMatchObject({ task_id: taskId, owner_id: 'alice', actor_id: 'alice' });
    const [deleted, reopened, completed, updated, created] = items;

    expect(created).toMatchObject({
      before: null,
      after: {
        title: 'Pay rent', description: null, status: 'open', priority: 'none', tags: ['home'], due: null, reminders: [],
        recurrence: null, series_id: null, occurrence: 0, completed_at: null, deleted_at: null,
      },
      correlation_id: 'rent-2026',
    });
    expect(Object.keys(created?.after ?? {}), 'in the contract\'s field order').toEqual([...AUDITED_FIELDS]);
    expect(updated).toMatchObject({ before: { title: 'Pay rent', priority: 'none' }, after: { title: 'Pay the rent', priority: 'high' } });
    expect(Object.keys(updated?.after ?? {}).sort()).toEqual(['priority', 'title']);
    expect(completed?.before).toEqual({ status: 'open', completed_at: null });
    expect(Object.keys(completed?.after ?? {}).sort()).toEqual(['completed_at', 'status']);
    expect(completed?.after).toMatchObject({ status: 'completed' });
    expect(Date.parse(completed?.after.completed_at ?? '')).not.toBeNaN();
    expect(reopened?.before).toEqual({ status: 'completed', completed_at: completed?.after.completed_at });
    expect(reopened?.after).toEqual({ status: 'open', completed_at: null });
    expect(deleted?.before).toEqual({ deleted_at: null });
    expect(Object.keys(deleted?.after ?? {})).toEqual(['deleted_at']);
    expect(Date.parse(deleted?.after.deleted_at ?? '')).not.toBeNaN();
    for (const entry of items) {
      expect(entry.event_id).toMatch(/^[0-9a-f-]{36}$/);
      expect(new Date(entry.occurred_at).toISOString()).toBe(entry.occurred_at);
    }
  });

  it('pages newest first with a cursor, each entry exactly once', async () => {
    const all = await entries('alice');
    expect(all.length).toBe(8);
    const seen: AuditEntry[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const response = await auditAs('alice', `limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      expect(response.status).toBe(200);
      const page = response.body as AuditPage;
      seen.push(...page.items);
      cursor = page.next_cursor;
      pages += 1;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual(all);
    expect(all.map((e) => e.position)).toEqual([...all.map((e) => e.position)].sort((a, b) => b - a));
  });

  it('filters by task, action and a time window (from inclusive, to exclusive)', async () => {
    const all = await entries('alice');
    expect((await entries('alice', 'action=created')).map((e) => e.action)).toEqual(['created', 'created', 'created', 'created']);
    expect((await entries('alice', `action=completed&task_id=${taskId}`)).map((e) => e.position)).toEqual([positions[2]]);

    const oldest = all.at(-1);
    const middle = all[3];
    if (!oldest || !middle) throw new Error('too few entries');
    const from = encodeURIComponent(oldest.occurred_at);
    const to = encodeURIComponent(middle.occurred_at);
    const window = await entries('alice', `from=${from}&to=${to}`);
    expect(window).toEqual(all.filter((e) => e.occurred_at >= oldest.occurred_at && e.occurred_at < middle.occurred_at));
    expect(window).toContainEqual(oldest);
    expect(window).not.toContainEqual(middle);
    // An offset other than Z names the same instant.
    const shifted = new Date(Date.parse(oldest.occurred_at)).toISOString().replace('Z', '+00:00');
    expect(await entries('alice', `from=${encodeURIComponent(shifted)}&to=${to}`)).toEqual(window);
  });

  it('shows a user only the entries of their own tasks', async () => {
    expect((await entries('alice')).map((e) => e.task_id)).not.toContain(bobsTask);
    expect(await entries('alice', `task_id=${bobsTask}`)).toEqual([]);
    expect((await entries('bob')).map((e) => [e.task_id, e.action])).toEqual([[bobsTask, 'created']]);
    expect(await entries('bob', 'user_id=bob')).toEqual(await entries('bob'));
  });

  it('answers 403 when a user who is not an admin asks for another user\'s log', async () => {
    const response = await auditAs('alice', 'user_id=bob');
    expect(response.status).toBe(403);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject({ type: 'urn:todo:problem:forbidden', status: 403 });
  });

  it('lets an admin read another user\'s log, and their own without user_id', async () => {
    expect((await entries('carol', 'user_id=bob', { admin: true })).map((e) => [e.task_id, e.owner_id])).toEqual([[bobsTask, 'bob']]);
    expect(await entries('carol', `user_id=alice&task_id=${taskId}`, { admin: true })).toEqual(await entries('alice', `task_id=${taskId}`));
    expect(await entries('carol', '', { admin: true })).toEqual([]);
  });

  it('rejects bad parameters with 400 and a path for each', async () => {
    const cases: Array<[string, string]> = [
      ['task_id=nope', 'query.task_id'],
      ['action=archived', 'query.action'],
      ['action=TaskCreated', 'query.action'],
      ['from=yesterday', 'query.from'],
      ['to=2026-01-01', 'query.to'],
      ['from=2026-02-01T00:00:00Z&to=2026-02-01T00:00:00Z', 'query.to'],
      ['limit=0', 'query.limit'],
      ['limit=201', 'query.limit'],
      ['cursor=not-a-cursor', 'query.cursor'],
      ['user_id=', 'query.user_id'],
      ['colour=blue', 'query'],
    ];
    for (const [query, path] of cases) {
      const response = await auditAs('alice', query);
      expect(response.status, query).toBe(400);
      expect(response.body, query).toMatchObject({ type: 'urn:todo:problem:validation', errors: [expect.objectContaining({ path })] });
    }
  });

  it('rejects a malformed X-Min-Position header with 400', async () => {
    const response = await t.call('GET', '/api/audit', { user: 'alice', headers: { 'x-min-position': 'soon' } });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ errors: [expect.objectContaining({ path: 'headers.x-min-position' })] });
  });

  it('needs a token', async () => {
    expect((await t.call('GET', '/api/audit', { user: null })).status).toBe(401);
  });
});
