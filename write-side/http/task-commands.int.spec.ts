import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type TestSystem } from '../../test/support/test-system.ts';

let t: TestSystem;
beforeAll(async () => { t = await startTestSystem(); });

const eventCount = async (): Promise<number> =>
  Number((await t.system.database.db.query<{ n: string }>('SELECT count(*) AS n FROM events')).rows[0]?.n);

async function createTask(body: Record<string, unknown> = { title: 'Write the report' }, user = 'alice'): Promise<string> {
  const response = await t.call('POST', '/api/tasks', { body, user });
  expect(response.status).toBe(201);
  return (response.body as { task_id: string }).task_id;
}

describe('the command endpoints', () => {
  it('create, update, complete, reopen and delete a task, answering versions 1…5 with rising positions', async () => {
    const created = await t.call('POST', '/api/tasks', {
      body: { title: 'Write the report', priority: 'high', tags: ['Work', ' work ', 'Q4'], due: { date: '2026-12-01' } },
    });
    expect(created.status).toBe(201);
    const { task_id } = created.body as { task_id: string };
    expect(created.headers.get('location')).toBe(`/api/tasks/${task_id}`);
    const steps = [
      await t.call('PATCH', `/api/tasks/${task_id}`, { body: { title: 'Write the annual report', description: 'with figures' } }),
      await t.call('POST', `/api/tasks/${task_id}/complete`),
      await t.call('POST', `/api/tasks/${task_id}/reopen`),
      await t.call('DELETE', `/api/tasks/${task_id}`),
    ];
    const answers = [created, ...steps].map((r) => r.body as { task_id: string; version: number; position: number });
    expect(steps.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    expect(answers.map((a) => a.version)).toEqual([1, 2, 3, 4, 5]);
    expect(answers.every((a) => a.task_id === task_id)).toBe(true);
    const positions = answers.map((a) => a.position);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(steps[3]?.headers.get('etag')).toBe('"5"');

    const stored = await t.system.store.readStream(task_id);
    expect(stored.map((e) => e.type)).toEqual(['TaskCreated', 'TaskUpdated', 'TaskCompleted', 'TaskReopened', 'TaskDeleted']);
    expect(stored[0]?.data).toMatchObject({ tags: ['work', 'q4'], user_id: 'alice' });
    expect(stored[1]?.data).toMatchObject({ changes: { title: 'Write the annual report', description: 'with figures' } });
    expect(stored[0]?.metadata).toMatchObject({ user_id: 'alice' });
  });

  it('answers the current version and appends nothing when a command changes nothing', async () => {
    const id = await createTask();
    await t.call('POST', `/api/tasks/${id}/complete`);
    const before = await eventCount();
    const again = await t.call('POST', `/api/tasks/${id}/complete`);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ task_id: id, version: 2 });
    expect(await eventCount()).toBe(before);
  });

  it('restores a deleted task on reopen, and refuses anything else on it', async () => {
    const id = await createTask();
    await t.call('DELETE', `/api/tasks/${id}`);
    expect((await t.call('PATCH', `/api/tasks/${id}`, { body: { title: 'x' } })).status).toBe(404);
    expect((await t.call('POST', `/api/tasks/${id}/complete`)).status).toBe(404);
    expect((await t.call('DELETE', `/api/tasks/${id}`)).status).toBe(404);
    const reopened = await t.call('POST', `/api/tasks/${id}/reopen`);
    expect(reopened.status).toBe(200);
    expect(reopened.body).toMatchObject({ version: 3 });
  });
});

describe('optimistic concurrency', () => {
  it('answers a create with an If-Match version of no task 404, as its document says', async () => {
    const created = await t.call('POST', '/api/tasks', { body: { id: randomUUID(), title: 'Not there yet' }, headers: { 'if-match': '"3"' } });
    expect(created.status).toBe(404);
    const document = (await t.call('GET', '/api/openapi.json', { user: null })).body as { paths: Record<string, { post: { responses: Record<string, unknown> } }> };
    expect(Object.keys(document.paths['/api/tasks']?.post.responses ?? {})).toContain('404');
  });

  it('answers 412 with the current version when If-Match is stale, and applies the command when it matches', async () => {
    const id = await createTask();
    await t.call('PATCH', `/api/tasks/${id}`, { body: { title: 'v2' } });
    const before = await eventCount();
    const stale = await t.call('PATCH', `/api/tasks/${id}`, { body: { title: 'v3' }, headers: { 'if-match': '1' } });
    expect(stale.status).toBe(412);
    expect(stale.headers.get('content-type')).toContain('application/problem+json');
    expect(stale.body).toMatchObject({ status: 412, current_version: 2 });
    expect(await eventCount()).toBe(before);
    const fresh = await t.call('PATCH', `/api/tasks/${id}`, { body: { title: 'v3' }, headers: { 'if-match': '"2"' } });
    expect(fresh.status).toBe(200);
    expect(fresh.body).toMatchObject({ version: 3 });
  });
});

describe('idempotency', () => {
  it('answers a retry with the same Idempotency-Key with the same response and appends nothing', async () => {
    const key = randomUUID();
    const first = await t.call('POST', '/api/tasks', { body: { title: 'Pay rent' }, headers: { 'idempotency-key': key } });
    const before = await eventCount();
    const retry = await t.call('POST', '/api/tasks', { body: { title: 'Pay rent' }, headers: { 'idempotency-key': key } });
    expect(first.status).toBe(201);
    expect(retry.status).toBe(201);
    expect(retry.body).toEqual(first.body);
    expect(await eventCount()).toBe(before);
  });

  it('answers parallel retries of one key with one result and one append', async () => {
    const key = randomUUID();
    const id = await createTask();
    const before = await eventCount();
    const answers = await Promise.all(Array.from({ length: 8 }, () =>
      t.call('PATCH', `/api/tasks/${id}`, { body: { title: 'once' }, headers: { 'idempotency-key': key } })));
    expect(new Set(answers.map((a) => JSON.stringify(a.body))).size).toBe(1);
    expect(answers.every((a) => a.status === 200)).toBe(true);
    expect(await eventCount()).toBe(before + 1);
  });

  it('refuses a key reused for a different request with 422', async () => {
    const key = randomUUID();
    await t.call('POST', '/api/tasks', { body: { title: 'A' }, headers: { 'idempotency-key': key } });
    const before = await eventCount();
    const reused = await t.call('POST', '/api/tasks', { body: { title: 'B' }, headers: { 'idempotency-key': key } });
    expect(reused.status).toBe(422);
    expect(await eventCount()).toBe(before);
  });

  it('makes creation with a client-chosen id idempotent, and refuses the id to another user', async () => {
    const id = randomUUID();
    const first = await t.call('POST', '/api/tasks', { body: { id, title: 'Mine' } });
    await t.call('PATCH', `/api/tasks/${id}`, { body: { title: 'Mine, renamed' } });
    const before = await eventCount();
    const again = await t.call('POST', '/api/tasks', { body: { id, title: 'Mine' } });
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    const stolen = await t.call('POST', '/api/tasks', { body: { id, title: 'Theirs' }, user: 'mallory' });
    expect(stolen.status).toBe(409);
    expect(await eventCount()).toBe(before);
  });
});

describe('bad input gets a clear problem+json 4xx and appends nothing', () => {
  type Response = { status: number; body: unknown; headers: Headers };
  const cases: Array<{ name: string; status: number; setup?: () => Promise<string>; request: (id: string) => Promise<Response>; errorPath?: string }> = [
    { name: 'malformed JSON', status: 400, request: () => t.call('POST', '/api/tasks', { rawBody: '{"title": ' }) },
    { name: 'an unknown field', status: 400, errorPath: 'body', request: () => t.call('POST', '/api/tasks', { body: { title: 'x', colour: 'red' } }) },
    { name: 'a wrong type', status: 400, errorPath: 'body.title', request: () => t.call('POST', '/api/tasks', { body: { title: 42 } }) },
    { name: 'a title over 200 characters', status: 400, errorPath: 'body.title', request: () => t.call('POST', '/api/tasks', { body: { title: 'x'.repeat(201) } }) },
    { name: 'an unknown priority', status: 400, errorPath: 'body.priority', request: () => t.call('POST', '/api/tasks', { body: { title: 'x', priority: 'asap' } }) },
    { name: 'an unknown time zone', status: 400, errorPath: 'due.timezone', request: () => t.call('POST', '/api/tasks', { body: { title: 'x', due: { datetime: '2026-12-01T09:00', timezone: 'Mars/Olympus' } } }) },
    { name: 'an invalid RRULE', status: 400, errorPath: 'recurrence.rrule', request: () => t.call('POST', '/api/tasks', { body: { title: 'x', due: { date: '2026-12-01' }, recurrence: { rrule: 'FREQ=HOURLY' } } }) },
    { name: '21 distinct tags', status: 400, errorPath: 'tags', request: () => t.call('POST', '/api/tasks', { body: { title: 'x', tags: Array.from({ length: 21 }, (_, i) => `t${i}`) } }) },
    { name: 'a non-uuid id', status: 400, errorPath: 'params.id', request: () => t.call('POST', '/api/tasks/not-a-uuid/complete') },
    { name: 'a body over 64 KiB', status: 413, request: () => t.call('POST', '/api/tasks', { body: { title: 'x', description: 'y'.repeat(70_000) } }) },
    { name: 'a non-JSON content type', status: 415, request: () => t.call('POST', '/api/tasks', { rawBody: 'title=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } }) },
    { name: 'a garbled If-Match', status: 400, errorPath: 'headers.if-match', request: () => t.call('PATCH', `/api/tasks/${randomUUID()}`, { body: { title: 'x' }, headers: { 'if-match': 'yesterday' } }) },
    { name: 'a missing token', status: 401, request: () => t.call('POST', '/api/tasks', { body: { title: 'x' }, user: null }) },
    { name: 'a garbled token', status: 401, request: () => t.call('POST', '/api/tasks', { body: { title: 'x' }, user: null, headers: { authorization: 'Bearer abc.def.ghi' } }) },
    { name: 'an expired token', status: 401, request: async () => {
      const { mintToken } = await import('../../gateways/auth/mint-token.ts');
      const { TEST_SECRET } = await import('../../test/support/test-system.ts');
      const expired = await mintToken({ secret: TEST_SECRET, userId: 'alice', expiresIn: 60, now: new Date(Date.now() - 3_600_000) });
      return t.call('POST', '/api/tasks', { body: { title: 'x' }, user: null, headers: { authorization: `Bearer ${expired}` } });
    } },
    { name: 'another user\'s task', status: 404, setup: () => createTask({ title: 'Bob\'s' }, 'bob'),
      request: (id) => t.call('PATCH', `/api/tasks/${id}`, { body: { title: 'mine now' }, user: 'alice' }) },
    { name: 'a task that does not exist', status: 404, request: () => t.call('POST', `/api/tasks/${randomUUID()}/complete`) },
  ];

  for (const c of cases) {
    it(`${c.name} → ${c.status}`, async () => {
      const id = c.setup ? await c.setup() : '';
      const before = await eventCount();
      const response = await c.request(id);
      expect(response.status).toBe(c.status);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      const body = response.body as { status: number; type: string; title: string };
      expect(body.status).toBe(c.status);
      expect(body.type).toMatch(/^urn:todo:problem:/);
      expect(body.title.length).toBeGreaterThan(0);
      if (c.errorPath) {
        const errors = (response.body as { errors?: Array<{ path: string }> }).errors ?? [];
        expect(errors.map((e) => e.path)).toContain(c.errorPath);
      }
      expect(await eventCount()).toBe(before);
    });
  }

  it('appends nothing for any rejected request', async () => {
    const before = await eventCount();
    await t.call('POST', '/api/tasks', { body: { title: '' } });
    await t.call('POST', '/api/tasks', { body: { title: 'x', reminders: Array.from({ length: 11 }, () => ({ before_minutes: 5 })) } });
    await t.call('PATCH', `/api/tasks/${randomUUID()}`, { body: { nope: true } });
    expect(await eventCount()).toBe(before);
  });
});
