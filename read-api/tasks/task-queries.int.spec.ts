import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TaskPage } from '../../contracts/queries.ts';
import type { TaskView } from '../../contracts/task.ts';
import { startTestSystem, type TestSystem } from '../../test/support/test-system.ts';

let t: TestSystem;
let lastPosition = 0;
const ids: Record<string, string> = {};

async function create(name: string, body: Record<string, unknown>, user = 'alice') {
  const response = await t.call('POST', '/api/tasks', { body, user });
  expect(response.status).toBe(201);
  const answer = response.body as { task_id: string; position: number };
  ids[name] = answer.task_id;
  lastPosition = Math.max(lastPosition, answer.position);
  return answer;
}

async function list(query: string, user = 'alice'): Promise<TaskView[]> {
  const response = await t.call('GET', `/api/tasks?min_position=${lastPosition}&limit=200${query ? `&${query}` : ''}`, { user });
  expect(response.status).toBe(200);
  return (response.body as TaskPage).items;
}
const titles = (items: TaskView[]) => items.map((i) => i.title);

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

beforeAll(async () => {
  t = await startTestSystem({ env: { READ_YOUR_WRITES_TIMEOUT_MS: '300' } });
  await create('report', { title: 'Write the quarterly report', description: 'figures for finance', priority: 'high', tags: ['work', 'finance'], due: { date: day(-2) } });
  await create('groceries', { title: 'Buy groceries', priority: 'low', tags: ['home'], due: { date: day(3) } });
  await create('dentist', { title: 'Call the dentist', priority: 'urgent', tags: ['health'], due: { datetime: `${day(10)}T09:00`, timezone: 'Europe/Berlin' } });
  await create('novel', { title: 'Read a novel', tags: ['home', 'fun'] });
  await create('taxes', { title: 'File taxes', priority: 'medium', tags: ['finance'], due: { date: day(-1) } });
  await create('bobs', { title: 'Bob\'s secret task', tags: ['work'] }, 'bob');
  const done = await t.call('POST', `/api/tasks/${ids['taxes'] ?? ''}/complete`);
  lastPosition = Math.max(lastPosition, (done.body as { position: number }).position);
  const gone = await t.call('DELETE', `/api/tasks/${ids['novel'] ?? ''}`);
  lastPosition = Math.max(lastPosition, (gone.body as { position: number }).position);
});

describe('GET /api/tasks', () => {
  it('lists only the caller\'s tasks that are not deleted, newest first by default', async () => {
    expect(titles(await list(''))).toEqual(['File taxes', 'Call the dentist', 'Buy groceries', 'Write the quarterly report']);
    expect(titles(await list('', 'bob'))).toEqual(['Bob\'s secret task']);
  });

  it('filters by status, priority (any of), tag (any of), due window and overdue', async () => {
    expect(titles(await list('status=completed'))).toEqual(['File taxes']);
    expect(titles(await list('priority=high&priority=urgent&sort=title'))).toEqual(['Call the dentist', 'Write the quarterly report']);
    expect(titles(await list('tag=FINANCE&tag=health&sort=title'))).toEqual(['Call the dentist', 'File taxes', 'Write the quarterly report']);
    expect(titles(await list(`due_before=${day(0)}&sort=due`))).toEqual(['Write the quarterly report', 'File taxes']);
    expect(titles(await list(`due_after=${day(0)}&due_before=${day(5)}`))).toEqual(['Buy groceries']);
    expect(titles(await list('overdue=true'))).toEqual(['Write the quarterly report']);
    expect(titles(await list('overdue=false&sort=title'))).toEqual(['Buy groceries', 'Call the dentist', 'File taxes']);
  });

  it('searches title and description with PostgreSQL full-text search, stemming included', async () => {
    expect(titles(await list('q=reports'))).toEqual(['Write the quarterly report']);
    expect(titles(await list('q=finance'))).toEqual(['Write the quarterly report']);
    expect(titles(await list('q=dentist OR groceries&sort=title'))).toEqual(['Buy groceries', 'Call the dentist']);
  });

  it('sorts by due, priority, created, updated and title in either order, tasks without due last', async () => {
    expect(titles(await list('sort=due&order=asc'))).toEqual(['Write the quarterly report', 'File taxes', 'Buy groceries', 'Call the dentist']);
    expect(titles(await list('sort=priority'))).toEqual(['Call the dentist', 'Write the quarterly report', 'File taxes', 'Buy groceries']);
    expect(titles(await list('sort=priority&order=asc'))).toEqual(['Buy groceries', 'File taxes', 'Write the quarterly report', 'Call the dentist']);
    expect(titles(await list('sort=title&order=desc'))).toEqual(['Write the quarterly report', 'File taxes', 'Call the dentist', 'Buy groceries']);
    expect(titles(await list('sort=updated')).at(0)).toBe('File taxes');
    expect(titles(await list('sort=created&order=asc')).at(0)).toBe('Write the quarterly report');
  });

  it('pages with a cursor, each task exactly once, and refuses a cursor of another sort', async () => {
    for (let i = 0; i < 23; i++) await create(`page-${i}`, { title: `Paged ${String(i).padStart(2, '0')}` }, 'pager');
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const response = await t.call('GET', `/api/tasks?min_position=${lastPosition}&limit=10&sort=title${cursor ? `&cursor=${cursor}` : ''}`, { user: 'pager' });
      const page = response.body as TaskPage;
      seen.push(...titles(page.items));
      cursor = page.next_cursor;
      pages += 1;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual(Array.from({ length: 23 }, (_, i) => `Paged ${String(i).padStart(2, '0')}`));

    const first = (await t.call('GET', '/api/tasks?limit=5&sort=title', { user: 'pager' })).body as TaskPage;
    const wrongSort = await t.call('GET', `/api/tasks?limit=5&sort=due&cursor=${first.next_cursor ?? ''}`, { user: 'pager' });
    expect(wrongSort.status).toBe(400);
    expect((await t.call('GET', '/api/tasks?cursor=garbage', { user: 'pager' })).status).toBe(400);
  });

  it('gives cursors of one length whatever the page ended on, and a long non-ASCII title pages like any other', async () => {
    const long = (letter: string) => `${letter}${'😀'.repeat(118)}${letter}`; // 120 characters, 474 bytes of UTF-8
    for (const letter of ['a', 'b', 'c', 'd']) await create(`long-${letter}`, { title: long(letter) }, 'unicode');
    const seen: string[] = [];
    const lengths = new Set<number>();
    let cursor: string | null = null;
    do {
      const response = await t.call('GET', `/api/tasks?min_position=${lastPosition}&limit=1&sort=title${cursor ? `&cursor=${cursor}` : ''}`, { user: 'unicode' });
      expect(response.status).toBe(200);
      const page = response.body as TaskPage;
      seen.push(...titles(page.items));
      cursor = page.next_cursor;
      if (cursor) lengths.add(cursor.length);
    } while (cursor);
    expect(seen).toEqual(['a', 'b', 'c', 'd'].map(long));
    const created = (await t.call('GET', `/api/tasks?min_position=${lastPosition}&limit=1&sort=created`, { user: 'unicode' })).body as TaskPage;
    lengths.add(created.next_cursor?.length ?? 0);
    expect(lengths.size).toBe(1);
  });

  it('continues after the last task as it was when the page was made, even if it was renamed or deleted since', async () => {
    for (const letter of ['k', 'l', 'm', 'n', 'o']) await create(`moving-${letter}`, { title: `${letter} task` }, 'mover');
    const first = (await t.call('GET', `/api/tasks?min_position=${lastPosition}&limit=2&sort=title`, { user: 'mover' })).body as TaskPage;
    expect(titles(first.items)).toEqual(['k task', 'l task']);
    // The page's last task moves to the end of the order: the next page still starts after "l task".
    const renamed = await t.call('PATCH', `/api/tasks/${ids['moving-l'] ?? ''}`, { user: 'mover', body: { title: 'z task' } });
    lastPosition = Math.max(lastPosition, (renamed.body as { position: number }).position);
    const second = (await t.call('GET', `/api/tasks?min_position=${lastPosition}&limit=2&sort=title&cursor=${first.next_cursor ?? ''}`, { user: 'mover' })).body as TaskPage;
    expect(titles(second.items)).toEqual(['m task', 'n task']);
    const gone = await t.call('DELETE', `/api/tasks/${ids['moving-n'] ?? ''}`, { user: 'mover' });
    lastPosition = Math.max(lastPosition, (gone.body as { position: number }).position);
    const third = (await t.call('GET', `/api/tasks?min_position=${lastPosition}&limit=2&sort=title&cursor=${second.next_cursor ?? ''}`, { user: 'mover' })).body as TaskPage;
    expect(titles(third.items)).toEqual(['o task', 'z task']);
  });

  it('refuses a well-formed cursor that names another user\'s task or a version that never was', async () => {
    const mine = (await t.call('GET', `/api/tasks?min_position=${lastPosition}&limit=1&sort=title`, { user: 'mover' })).body as TaskPage;
    const cursor = mine.next_cursor ?? '';
    const asBob = await t.call('GET', `/api/tasks?limit=1&sort=title&cursor=${cursor}`, { user: 'bob' });
    expect(asBob.status).toBe(400);
    expect((asBob.body as { errors: Array<{ path: string }> }).errors[0]?.path).toBe('query.cursor');
    const bytes = Buffer.from(cursor, 'base64url');
    bytes.writeUInt32BE(999, bytes.length - 4); // version 999 of that task
    expect((await t.call('GET', `/api/tasks?limit=1&sort=title&cursor=${bytes.toString('base64url')}`, { user: 'mover' })).status).toBe(400);
  });

  it('keeps an estimate in minutes: set, changed, cleared with null, filtered by estimate_max, sorted with unestimated tasks last', async () => {
    await create('short', { title: 'Short one', estimate_minutes: 15 }, 'estimator');
    await create('long', { title: 'Long one', estimate_minutes: 240 }, 'estimator');
    await create('unknown', { title: 'Unknown one' }, 'estimator');
    await create('medium', { title: 'Medium one', estimate_minutes: 90 }, 'estimator');
    const changed = await t.call('PATCH', `/api/tasks/${ids['medium'] ?? ''}`, { user: 'estimator', body: { estimate_minutes: 60 } });
    lastPosition = Math.max(lastPosition, (changed.body as { position: number }).position);
    expect(titles(await list('sort=estimate', 'estimator'))).toEqual(['Short one', 'Medium one', 'Long one', 'Unknown one']);
    expect(titles(await list('sort=estimate&order=desc', 'estimator'))).toEqual(['Unknown one', 'Long one', 'Medium one', 'Short one']);
    expect(titles(await list('estimate_max=60&sort=estimate', 'estimator'))).toEqual(['Short one', 'Medium one']);
    const one = await t.call('GET', `/api/tasks/${ids['medium'] ?? ''}?min_position=${lastPosition}`, { user: 'estimator' });
    expect((one.body as TaskView).estimate_minutes).toBe(60);

    const cleared = await t.call('PATCH', `/api/tasks/${ids['long'] ?? ''}`, { user: 'estimator', body: { estimate_minutes: null } });
    lastPosition = Math.max(lastPosition, (cleared.body as { position: number }).position);
    expect(titles(await list('estimate_max=100000&sort=estimate', 'estimator'))).toEqual(['Short one', 'Medium one']);
    const audit = await t.call('GET', `/api/audit?task_id=${ids['long'] ?? ''}&min_position=${lastPosition}`, { user: 'estimator' });
    expect((audit.body as { items: Array<{ before: unknown; after: unknown }> }).items[0]).toMatchObject({ before: { estimate_minutes: 240 }, after: { estimate_minutes: null } });

    for (const estimate of [0, 100_001, 1.5, '30']) {
      const response = await t.call('POST', '/api/tasks', { user: 'estimator', body: { title: 'Bad', estimate_minutes: estimate } });
      expect(response.status, String(estimate)).toBe(400);
      expect((response.body as { errors: Array<{ path: string }> }).errors[0]?.path).toBe('body.estimate_minutes');
    }
    for (const query of ['estimate_max=0', 'estimate_max=100001', 'estimate_max=soon']) {
      expect((await t.call('GET', `/api/tasks?${query}`, { user: 'estimator' })).status, query).toBe(400);
    }
  });

  it('rejects unknown parameters and bad values with 400 problem+json', async () => {
    for (const query of ['colour=red', 'limit=0', 'limit=201', 'sort=random', 'status=done', 'due_before=tomorrow', 'overdue=maybe', 'min_position=-1']) {
      const response = await t.call('GET', `/api/tasks?${query}`);
      expect(response.status, query).toBe(400);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
    }
  });
});

describe('GET /api/tasks/count', () => {
  async function count(query: string, user = 'alice') {
    return t.call('GET', `/api/tasks/count?min_position=${lastPosition}${query ? `&${query}` : ''}`, { user });
  }

  it('counts what the same filters list, the caller\'s tasks only and none deleted', async () => {
    for (const query of ['', 'status=completed', 'priority=high&priority=urgent', 'tag=FINANCE&tag=health', `due_before=${day(0)}`, 'overdue=false', 'q=reports']) {
      const response = await count(query);
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ count: (await list(query)).length });
    }
    expect((await count('')).body).toEqual({ count: 4 });
    expect((await count('', 'bob')).body).toEqual({ count: 1 });
    expect((await count('overdue=true')).body).toEqual({ count: 1 });
  });

  it('refuses paging parameters and bad filters with 400 problem+json', async () => {
    for (const query of ['limit=10', 'sort=title', 'priority=extreme']) {
      const response = await count(query);
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      expect((response.body as { errors: unknown[] }).errors.length).toBeGreaterThan(0);
    }
  });
});

describe('GET /api/tasks/{id}', () => {
  it('answers the task with its version as ETag, 304 when unchanged, 404 for another user\'s or a deleted one', async () => {
    const id = ids['report'] ?? '';
    const response = await t.call('GET', `/api/tasks/${id}?min_position=${lastPosition}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('etag')).toBe('"1"');
    expect(response.body).toMatchObject({ id, title: 'Write the quarterly report', tags: ['work', 'finance'], priority: 'high', status: 'open', version: 1 });
    expect((await t.call('GET', `/api/tasks/${id}`, { headers: { 'if-none-match': '"1"' } })).status).toBe(304);
    expect((await t.call('GET', `/api/tasks/${id}`, { user: 'bob' })).status).toBe(404);
    expect((await t.call('GET', `/api/tasks/${ids['novel'] ?? ''}`)).status).toBe(404);
    expect((await t.call('GET', `/api/tasks/${randomUUID()}`)).status).toBe(404);
    expect((await t.call('GET', '/api/tasks/not-a-uuid')).status).toBe(400);
  });
});

describe('read your writes', () => {
  it('returns the task a command just wrote when asked for its position', async () => {
    for (let i = 0; i < 5; i++) {
      const created = await create(`ryw-${i}`, { title: `Fresh ${i}` }, 'reader');
      const response = await t.call('GET', `/api/tasks/${created.task_id}`, { user: 'reader', headers: { 'x-min-position': String(created.position) } });
      expect(response.status).toBe(200);
      const listed = await t.call('GET', `/api/tasks?min_position=${created.position}`, { user: 'reader' });
      expect(titles((listed.body as TaskPage).items)).toContain(`Fresh ${i}`);
    }
  });

  it('answers 503 with Retry-After when the read model has not reached the position within the bound', async () => {
    const response = await t.call('GET', '/api/tasks?min_position=999999999');
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('1');
    expect(response.headers.get('content-type')).toContain('application/problem+json');
  });
});
