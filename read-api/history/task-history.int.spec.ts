import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type TestSystem } from '../../test/support/test-system.ts';

interface HistoryItem {
  event_id: string; type: string; version: number; position: number; created_at: string;
  data: Record<string, unknown>; metadata: Record<string, unknown>;
}
interface HistoryPage { items: HistoryItem[]; next_cursor: string | null }
interface TaskAsOf {
  version: number; as_of: Record<string, unknown>; deleted: boolean;
  task: { id: string; title: string; status: string; description: string | null; completed_at: string | null; version: number };
}

let t: TestSystem;
let id: string;
/** Instants recorded between the commands, each clear of the store's clock on both sides. */
const instants = { beforeCreate: '', afterCreate: '', afterUpdate: '', afterComplete: '' };

// The store stamps events with its own clock; a pause on each side keeps a recorded instant strictly between two.
const pauseAndRecord = async (): Promise<string> => {
  await sleep(25);
  const now = new Date().toISOString();
  await sleep(25);
  return now;
};

async function ok(method: string, path: string, body?: unknown): Promise<void> {
  const response = await t.call(method, path, body === undefined ? {} : { body });
  expect(response.status, `${method} ${path}`).toBeLessThan(300);
}

beforeAll(async () => {
  t = await startTestSystem();
  instants.beforeCreate = await pauseAndRecord();
  const created = await t.call('POST', '/api/tasks', { body: { title: 'Draft the plan', priority: 'high', tags: ['work'] } });
  id = (created.body as { task_id: string }).task_id;
  instants.afterCreate = await pauseAndRecord();
  await ok('PATCH', `/api/tasks/${id}`, { title: 'Final plan', description: 'with dates' });
  instants.afterUpdate = await pauseAndRecord();
  await ok('POST', `/api/tasks/${id}/complete`);
  instants.afterComplete = await pauseAndRecord();
  await ok('POST', `/api/tasks/${id}/reopen`);
  await ok('DELETE', `/api/tasks/${id}`);
});

const history = async (query = '', user: string | null = 'alice') => t.call('GET', `/api/tasks/${id}/history${query}`, { user });
const state = async (query: string, user = 'alice') => t.call('GET', `/api/tasks/${id}/state${query}`, { user });

describe('GET /api/tasks/{id}/history', () => {
  it('lists the task\'s events in version order with rising positions and their metadata', async () => {
    const response = await history();
    expect(response.status).toBe(200);
    const page = response.body as HistoryPage;
    expect(page.items.map((e) => e.type)).toEqual(['TaskCreated', 'TaskUpdated', 'TaskCompleted', 'TaskReopened', 'TaskDeleted']);
    expect(page.items.map((e) => e.version)).toEqual([1, 2, 3, 4, 5]);
    const positions = page.items.map((e) => e.position);
    expect(positions.every((p, i) => i === 0 || p > (positions[i - 1] ?? Infinity))).toBe(true);
    expect(page.next_cursor).toBeNull();
    expect(page.items[0]?.data).toMatchObject({ task_id: id, user_id: 'alice', title: 'Draft the plan', priority: 'high', tags: ['work'] });
    expect(page.items[1]?.data).toMatchObject({ changes: { title: 'Final plan', description: 'with dates' } });
    for (const item of page.items) {
      expect(Object.keys(item.metadata).sort()).toEqual(['causation_id', 'correlation_id', 'user_id']);
      expect(item.metadata['user_id']).toBe('alice');
      expect(Date.parse(item.created_at)).not.toBeNaN();
    }
  });

  it('pages with limit=2, returning every event exactly once', async () => {
    const seen: number[] = [];
    const sizes: number[] = [];
    let cursor: string | null = null;
    do {
      const response = await history(`?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(response.status).toBe(200);
      const page = response.body as HistoryPage;
      sizes.push(page.items.length);
      seen.push(...page.items.map((e) => e.version));
      cursor = page.next_cursor;
    } while (cursor !== null && sizes.length < 10);
    expect(sizes).toEqual([2, 2, 1]);
    expect(seen).toEqual([1, 2, 3, 4, 5]);
  });

  it('answers no next page when the last page is exactly full', async () => {
    const page = (await history('?limit=5')).body as HistoryPage;
    expect(page.items).toHaveLength(5);
    expect(page.next_cursor).toBeNull();
  });

  it('shows an old payload upcast to its current schema', async () => {
    const old = randomUUID();
    await t.system.store.append(old, 'no_stream', [{
      event_id: randomUUID(), type: 'TaskCreated', schema_version: 1,
      data: { task_id: old, user_id: 'alice', title: 'Imported', description: null, priority: 'low', tags: [], due_date: '2020-05-01', created_at: '2020-04-01T00:00:00.000Z' },
      metadata: { user_id: 'alice', correlation_id: randomUUID(), causation_id: null, traceparent: null, idempotency_key: null, request_id: null },
    }]);
    const page = (await t.call('GET', `/api/tasks/${old}/history`)).body as HistoryPage;
    expect(page.items[0]?.data).toMatchObject({ due: { date: '2020-05-01' }, reminders: [], recurrence: null });
    expect(page.items[0]?.data).not.toHaveProperty('due_date');
    const folded = (await t.call('GET', `/api/tasks/${old}/state?version=1`)).body as TaskAsOf;
    expect(folded.task).toMatchObject({ title: 'Imported', due: { date: '2020-05-01' }, status: 'open' });
  });
});

describe('GET /api/tasks/{id}/state', () => {
  it('folds version 1: the original title, open', async () => {
    const response = await state('?version=1');
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      version: 1, as_of: { version: 1 }, deleted: false,
      task: { id, title: 'Draft the plan', description: null, status: 'open', priority: 'high', tags: ['work'], completed_at: null, version: 1 },
    });
    expect(Object.keys((response.body as TaskAsOf).task).sort()).toEqual([
      'completed_at', 'created_at', 'description', 'due', 'estimate_minutes', 'id', 'priority', 'recurrence', 'reminders', 'series_id',
      'status', 'tags', 'title', 'updated_at', 'version',
    ]);
  });

  it('folds version 3: completed, with the update applied', async () => {
    const body = (await state('?version=3')).body as TaskAsOf;
    expect(body).toMatchObject({ version: 3, deleted: false, task: { title: 'Final plan', description: 'with dates', status: 'completed', version: 3 } });
    expect(body.task.completed_at).not.toBeNull();
  });

  it('folds version 5: deleted', async () => {
    expect((await state('?version=5')).body).toMatchObject({ version: 5, deleted: true, task: { status: 'open', version: 5 } });
  });

  it('answers the latest state for a version beyond the last, naming the version asked for', async () => {
    expect((await state('?version=99')).body).toMatchObject({ version: 5, as_of: { version: 99 }, deleted: true });
  });

  it('answers 404 for version 0: the task did not exist yet', async () => {
    const response = await state('?version=0');
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
  });

  it('folds the events recorded at or before an instant', async () => {
    expect((await state(`?at=${instants.afterCreate}`)).body).toMatchObject({
      version: 1, as_of: { at: instants.afterCreate }, deleted: false, task: { title: 'Draft the plan', status: 'open' },
    });
    expect((await state(`?at=${instants.afterUpdate}`)).body).toMatchObject({ version: 2, task: { title: 'Final plan', status: 'open' } });
    expect((await state(`?at=${instants.afterComplete}`)).body).toMatchObject({ version: 3, task: { status: 'completed' } });
    expect((await state(`?at=${new Date(Date.now() + 60_000).toISOString()}`)).body).toMatchObject({ version: 5, deleted: true });
  });

  it('includes an event recorded exactly at the instant', async () => {
    const recorded = ((await history()).body as HistoryPage).items[1]?.created_at ?? '';
    expect((await state(`?at=${recorded}`)).body).toMatchObject({ version: 2, as_of: { at: recorded } });
  });

  it('takes an instant with any offset, and answers it in UTC', async () => {
    const instant = new Date(instants.afterUpdate);
    const inBerlinSummer = `${new Date(instant.getTime() + 2 * 3_600_000).toISOString().slice(0, -1)}+02:00`;
    const response = await state(`?at=${encodeURIComponent(inBerlinSummer)}`);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ version: 2, as_of: { at: instants.afterUpdate } });
  });

  it('answers 404 for an instant before the task was created', async () => {
    const response = await state(`?at=${instants.beforeCreate}`);
    expect(response.status).toBe(404);
    expect(response.body).toMatchObject({ status: 404, type: 'urn:todo:problem:not_found' });
  });
});

describe('another user\'s task, or none at all', () => {
  it('answers 404 to another user exactly as for a task that does not exist', async () => {
    const missing = randomUUID();
    const asMissing = (body: unknown) => JSON.parse(JSON.stringify(body).replaceAll(missing, id)) as unknown;
    const cases = [
      [`/api/tasks/${id}/history`, `/api/tasks/${missing}/history`],
      [`/api/tasks/${id}/history?limit=2`, `/api/tasks/${missing}/history?limit=2`],
      [`/api/tasks/${id}/state?version=1`, `/api/tasks/${missing}/state?version=1`],
      [`/api/tasks/${id}/state?version=0`, `/api/tasks/${missing}/state?version=0`],
      [`/api/tasks/${id}/state?at=${instants.beforeCreate}`, `/api/tasks/${missing}/state?at=${instants.beforeCreate}`],
    ] as const;
    for (const [theirs, nobodys] of cases) {
      const asBob = await t.call('GET', theirs, { user: 'bob' });
      const none = await t.call('GET', nobodys, { user: 'bob' });
      expect(asBob.status, theirs).toBe(404);
      expect(asBob.headers.get('content-type')).toContain('application/problem+json');
      expect(asBob.body).toEqual(asMissing(none.body));
    }
  });

  it('needs a token', async () => {
    expect((await history('', null)).status).toBe(401);
  });
});

describe('bad input → 400 problem+json with the field\'s path', () => {
  const cases: Array<{ name: string; path: string; url: () => string }> = [
    { name: 'a non-uuid id (history)', path: 'params.id', url: () => '/api/tasks/not-a-uuid/history' },
    { name: 'a non-uuid id (state)', path: 'params.id', url: () => '/api/tasks/not-a-uuid/state?version=1' },
    { name: 'limit=0', path: 'query.limit', url: () => `/api/tasks/${id}/history?limit=0` },
    { name: 'limit=201', path: 'query.limit', url: () => `/api/tasks/${id}/history?limit=201` },
    { name: 'limit=ten', path: 'query.limit', url: () => `/api/tasks/${id}/history?limit=ten` },
    { name: 'a cursor this server did not issue', path: 'query.cursor', url: () => `/api/tasks/${id}/history?cursor=bm90LWEtY3Vyc29y` },
    { name: 'an unknown history parameter', path: 'query', url: () => `/api/tasks/${id}/history?after=2` },
    { name: 'both version and at', path: 'query', url: () => `/api/tasks/${id}/state?version=1&at=${instants.afterCreate}` },
    { name: 'neither version nor at', path: 'query', url: () => `/api/tasks/${id}/state` },
    { name: 'a fractional version', path: 'query.version', url: () => `/api/tasks/${id}/state?version=1.5` },
    { name: 'an empty version', path: 'query.version', url: () => `/api/tasks/${id}/state?version=` },
    { name: 'a negative version', path: 'query.version', url: () => `/api/tasks/${id}/state?version=-1` },
    { name: 'an instant that is not ISO 8601', path: 'query.at', url: () => `/api/tasks/${id}/state?at=yesterday` },
    { name: 'an instant without offset', path: 'query.at', url: () => `/api/tasks/${id}/state?at=2026-01-01T10:00:00` },
    { name: 'an unknown state parameter', path: 'query', url: () => `/api/tasks/${id}/state?version=1&as_of=2` },
  ];

  for (const c of cases) {
    it(`${c.name} → 400 at ${c.path}`, async () => {
      const response = await t.call('GET', c.url());
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      expect(response.body).toMatchObject({ status: 400, type: 'urn:todo:problem:validation' });
      expect(((response.body as { errors?: Array<{ path: string }> }).errors ?? []).map((e) => e.path)).toContain(c.path);
    });
  }
});
