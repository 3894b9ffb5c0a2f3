import { beforeAll, describe, expect, it } from 'vitest';
import { foldWholeStream } from '../../contracts/events/fold-task-stream.ts';
import { DEFAULT_ORDER, SORTS, type Order, type Sort, type TaskPage } from '../../contracts/queries.ts';
import { dueInstant, overdueFrom } from '../../domain/task/due-instant.ts';
import { priorityRank } from '../../domain/task/rules/priority.ts';
import { PRIORITIES, type Task } from '../../domain/task/types.ts';
import { startTestSystem, type TestSystem } from '../../test/support/test-system.ts';
import { seededRandom } from '../../test/support/seeded-random.ts';

/*
 * Query results equal a reference filter and sort over the domain states, folded from the event streams
 * with the one fold of a task stream, for randomly generated tasks and queries (seeded, so a failure repeats).
 */

const SEED = 20261127;
const random = seededRandom(SEED);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
const chance = (p: number) => random() < p;
const WORDS = ['Alpha', 'beta', 'Gamma', 'delta', 'echo', 'Fox', 'golf', 'Hotel', 'india', 'Juliet'];
const TAGS = ['work', 'home', 'fun', 'urgent', 'later', 'q4'];
const ZONES = ['Europe/Berlin', 'America/New_York', 'Asia/Tokyo', 'UTC'];
const USERS = ['prop-a', 'prop-b'];
const DAY = 86_400_000;

function randomDue(): Record<string, string> | null {
  if (chance(0.25)) return null;
  const day = new Date(Date.now() + Math.round((random() * 40 - 20)) * DAY).toISOString().slice(0, 10);
  if (chance(0.5)) return { date: day };
  return { datetime: `${day}T${String(Math.floor(random() * 24)).padStart(2, '0')}:${pick(['00', '15', '30', '45'])}`, timezone: pick(ZONES) };
}

let t: TestSystem;
let position = 0;
const taskIds: string[] = [];

beforeAll(async () => {
  t = await startTestSystem();
  for (let i = 0; i < 90; i++) {
    const user = pick(USERS);
    const body = {
      title: `${pick(WORDS)} ${pick(WORDS)} ${i}`,
      priority: pick(PRIORITIES),
      tags: TAGS.filter(() => chance(0.3)),
      due: randomDue(),
      ...(chance(0.6) ? { estimate_minutes: 1 + Math.floor(random() * 240) } : {}),
    };
    const created = await t.call('POST', '/api/tasks', { body, user });
    const answer = created.body as { task_id: string; position: number };
    taskIds.push(answer.task_id);
    position = Math.max(position, answer.position);
    const followUps: Array<[string, string, unknown]> = [];
    if (chance(0.3)) followUps.push(['PATCH', `/api/tasks/${answer.task_id}`, { priority: pick(PRIORITIES), due: randomDue(), estimate_minutes: chance(0.3) ? null : 1 + Math.floor(random() * 240) }]);
    if (chance(0.3)) followUps.push(['POST', `/api/tasks/${answer.task_id}/complete`, undefined]);
    if (chance(0.1)) followUps.push(['DELETE', `/api/tasks/${answer.task_id}`, undefined]);
    for (const [method, path, followBody] of followUps) {
      const response = await t.call(method, path, { user, ...(followBody === undefined ? {} : { body: followBody }) });
      position = Math.max(position, (response.body as { position: number }).position);
    }
  }
});

async function referenceTasks(): Promise<Array<Task & { deleted: boolean }>> {
  const tasks: Array<Task & { deleted: boolean }> = [];
  for (const id of taskIds) {
    const state = foldWholeStream(await t.system.store.readStream(id));
    if (state.kind === 'present') tasks.push({ ...state.task, deleted: state.task.deleted_at !== null });
  }
  return tasks;
}

interface RandomQuery { params: URLSearchParams; sort: Sort; order: Order; user: string }

function randomQuery(): RandomQuery {
  const params = new URLSearchParams();
  const sort = pick(SORTS);
  const order: Order = chance(0.5) ? 'asc' : 'desc';
  params.set('sort', sort);
  if (chance(0.7)) params.set('order', order);
  if (chance(0.3)) params.set('status', pick(['open', 'completed']));
  if (chance(0.3)) for (const p of PRIORITIES.filter(() => chance(0.4))) params.append('priority', p);
  if (chance(0.3)) for (const tag of TAGS.filter(() => chance(0.3))) params.append('tag', tag);
  if (chance(0.2)) params.set('due_before', new Date(Date.now() + Math.round(random() * 20 - 5) * DAY).toISOString().slice(0, 10));
  if (chance(0.2)) params.set('due_after', new Date(Date.now() + Math.round(random() * 20 - 15) * DAY).toISOString());
  if (chance(0.2)) params.set('overdue', chance(0.5) ? 'true' : 'false');
  if (chance(0.2)) params.set('estimate_max', String(1 + Math.floor(random() * 240)));
  params.set('limit', String(1 + Math.floor(random() * 30)));
  return { params, sort, order: params.has('order') ? order : DEFAULT_ORDER[sort], user: pick(USERS) };
}

// Infinity - Infinity is NaN, so compare, never subtract; strings compare by code unit like COLLATE "C" on ASCII.
const codePointCompare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function sortKey(task: Task, sort: Sort): number | string {
  switch (sort) {
    case 'created': return Date.parse(task.created_at);
    case 'updated': return Date.parse(task.updated_at);
    case 'due': return task.due ? Date.parse(dueInstant(task.due)) : Number.POSITIVE_INFINITY;
    case 'priority': return priorityRank(task.priority);
    case 'title': return task.title.toLowerCase();
    case 'estimate': return task.estimate_minutes ?? Number.POSITIVE_INFINITY;
  }
}

function reference(tasks: Array<Task & { deleted: boolean }>, query: RandomQuery, now: number): string[] {
  const p = query.params;
  const priorities = p.getAll('priority');
  const tags = p.getAll('tag');
  const instant = (v: string) => Date.parse(v.length === 10 ? `${v}T00:00:00Z` : v);
  const matching = tasks.filter((task) => {
    if (task.user_id !== query.user || task.deleted) return false;
    if (p.has('status') && task.status !== p.get('status')) return false;
    if (priorities.length > 0 && !priorities.includes(task.priority)) return false;
    if (tags.length > 0 && !task.tags.some((tag) => tags.includes(tag))) return false;
    const due = task.due ? Date.parse(dueInstant(task.due)) : null;
    if (p.has('due_before') && !(due !== null && due < instant(p.get('due_before') ?? ''))) return false;
    if (p.has('due_after') && !(due !== null && due >= instant(p.get('due_after') ?? ''))) return false;
    if (p.has('estimate_max') && !(task.estimate_minutes !== null && task.estimate_minutes <= Number(p.get('estimate_max')))) return false;
    if (p.has('overdue')) {
      const overdue = task.status === 'open' && task.due !== null && Date.parse(overdueFrom(task.due)) <= now;
      if (overdue !== (p.get('overdue') === 'true')) return false;
    }
    return true;
  });
  const direction = query.order === 'asc' ? 1 : -1;
  matching.sort((a, b) => {
    const ka = sortKey(a, query.sort);
    const kb = sortKey(b, query.sort);
    const byKey = ka < kb ? -1 : ka > kb ? 1 : 0;
    return direction * (byKey !== 0 ? byKey : codePointCompare(a.id, b.id));
  });
  return matching.map((task) => task.id);
}

describe('GET /api/tasks against a reference over the domain states', () => {
  it(`answers 60 random queries exactly like the reference, page by page (seed ${SEED})`, async () => {
    const tasks = await referenceTasks();
    for (let i = 0; i < 60; i++) {
      const query = randomQuery();
      const ids: string[] = [];
      let cursor: string | null = null;
      do {
        const params = new URLSearchParams(query.params);
        params.set('min_position', String(position));
        if (cursor) params.set('cursor', cursor);
        const response = await t.call('GET', `/api/tasks?${params.toString()}`, { user: query.user });
        expect(response.status, query.params.toString()).toBe(200);
        const page = response.body as TaskPage;
        ids.push(...page.items.map((item) => item.id));
        cursor = page.next_cursor;
      } while (cursor);
      expect(ids, `query ${i}: ${query.params.toString()} for ${query.user}`).toEqual(reference(tasks, query, Date.now()));
    }
  });
});
