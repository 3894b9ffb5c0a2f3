import { randomUUID } from 'node:crypto';
import { APPENDS_CHANNEL } from '../../../contracts/ports/event-log.ts';
import type { DrillSystem } from './drill-system.ts';
import { untilSettled } from './drill-system.ts';

export interface DrillUser { readonly id: string; readonly email: string }

/** What the data set holds, for the snapshot to walk and the drill to report. */
export interface DataSet {
  readonly users: readonly DrillUser[];
  /** Every task the data set made, by owner (deleted ones and recurrences' occurrences included). */
  readonly tasks: ReadonlyMap<string, readonly string[]>;
  /** The instants the scheduler ran at: reminders that fired by the last were sent, later ones are pending. */
  readonly schedulerPasses: readonly Date[];
  readonly remindersSent: number;
  readonly events: number;
  /** Creates made with an Idempotency-Key: a retry with the same key and body must get the same task. */
  readonly idempotent: readonly IdempotentCreate[];
}

export interface IdempotentCreate { readonly user: DrillUser; readonly key: string; readonly body: unknown; readonly task_id: string }

export interface Caller {
  (user: DrillUser, method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; body: unknown }>;
}

/** Requests as `user`, with a token carrying their email (where their reminders go). */
export function caller(system: DrillSystem): Caller {
  return async (user, method, path, body, headers = {}) => {
    const token = await system.api.token(user.id, { email: user.email });
    const response = await fetch(`${system.api.baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as unknown) : null };
  };
}

function expectStatus(answer: { status: number; body: unknown }, status: number, what: string): void {
  if (answer.status !== status) throw new Error(`${what}: ${answer.status} ${JSON.stringify(answer.body)}`);
}

const taskIdOf = (body: unknown): string => {
  if (typeof body === 'object' && body !== null && 'task_id' in body && typeof body.task_id === 'string') return body.task_id;
  throw new Error(`no task_id in ${JSON.stringify(body)}`);
};

const TAGS = ['home', 'work', 'errands', 'health'];
const PRIORITIES = ['none', 'low', 'medium', 'high', 'urgent'];

/**
 * A realistic data set, made through the API of a running system: several users with tasks of every kind
 * (tags, dues, priorities, descriptions; updated, completed, reopened, deleted; created with an
 * Idempotency-Key), a daily recurring task completed three times, reminders of which the scheduler sent
 * some and holds others pending, the audit entries of all of it — and last, an event no read model can
 * store, appended past the write side as an old log would hold it, which the projectors dead-letter.
 */
export async function buildDataSet(system: DrillSystem, options: { users?: number; tasksPerUser?: number } = {}): Promise<DataSet> {
  const call = caller(system);
  const users = Array.from({ length: options.users ?? 3 }, (_, i) => ({ id: `drill-user-${i + 1}`, email: `user${i + 1}@example.com` }));
  const tasks = new Map<string, string[]>(users.map((user) => [user.id, []]));
  const day = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
  // A scheduler that ticked through that day's morning: a pass at midnight (UTC) and one at noon. (A first
  // pass scans only its last minutes, so the midnight one makes the noon one cover the whole morning.)
  const schedulerPasses = [new Date(`${day}T00:00:00Z`), new Date(`${day}T12:00:00Z`)];
  const own = (user: DrillUser, id: string) => tasks.get(user.id)?.push(id);
  const idempotent: IdempotentCreate[] = [];

  for (const [u, user] of users.entries()) {
    for (let n = 0; n < (options.tasksPerUser ?? 8); n += 1) {
      const body = {
        title: `Task ${n + 1} of ${user.id}`,
        description: n % 3 === 0 ? `Notes for task ${n + 1}` : null,
        tags: [TAGS[n % TAGS.length], TAGS[(n + u) % TAGS.length]],
        priority: PRIORITIES[n % PRIORITIES.length],
        ...(n % 2 === 0 ? { due: { datetime: `${day}T${String(8 + n).padStart(2, '0')}:00`, timezone: 'Europe/Berlin' } } : { due: { date: day } }),
        // Reminders 30 minutes before 08:00, 10:00, 12:00 and 14:00 Berlin time: the first three fire before the
        // scheduler's last pass (noon UTC) and are sent, the last stays pending.
        ...(n % 2 === 0 ? { reminders: [{ before_minutes: 30, channels: ['email'] }] } : {}),
      };
      const key = n === 0 ? `drill-${user.id}-first` : null;
      const created = await call(user, 'POST', '/api/tasks', body, key ? { 'idempotency-key': key } : {});
      expectStatus(created, 201, 'create');
      const id = taskIdOf(created.body);
      if (key) idempotent.push({ user, key, body, task_id: id });
      own(user, id);
      if (n % 4 === 1) expectStatus(await call(user, 'PATCH', `/api/tasks/${id}`, { title: `Task ${n + 1} of ${user.id}, renamed`, tags: ['renamed'] }), 200, 'update');
      if (n % 4 === 2) expectStatus(await call(user, 'POST', `/api/tasks/${id}/complete`), 200, 'complete');
      if (n === 6) expectStatus(await call(user, 'POST', `/api/tasks/${id}/reopen`), 200, 'reopen');
      if (n % 4 === 3) expectStatus(await call(user, 'DELETE', `/api/tasks/${id}`), 200, 'delete');
    }
  }

  // A daily task, completed three times: each completion makes the next occurrence (the recurring reactor).
  const [first] = users;
  if (!first) throw new Error('the data set needs a user');
  const recurring = await call(first, 'POST', '/api/tasks', {
    title: 'Water the plants', tags: ['home'], due: { datetime: `${day}T07:00`, timezone: 'UTC' },
    reminders: [{ before_minutes: 60, channels: ['email'] }], recurrence: { rrule: 'FREQ=DAILY', anchor: 'due' },
  });
  expectStatus(recurring, 201, 'create recurring');
  let occurrence = taskIdOf(recurring.body);
  own(first, occurrence);
  for (let i = 0; i < 3; i += 1) {
    expectStatus(await call(first, 'POST', `/api/tasks/${occurrence}/complete`), 200, 'complete occurrence');
    await system.api.system.projectors.find((p) => p.name === 'recurring')?.caughtUp();
    await system.api.system.projectors.find((p) => p.name === 'task-view')?.caughtUp();
    const open = await call(first, 'GET', '/api/tasks?status=open&q=plants');
    const items = (open.body as { items: Array<{ id: string }> }).items;
    const next = items.find((item) => !(tasks.get(first.id) ?? []).includes(item.id));
    if (!next) throw new Error(`no next occurrence after completing ${occurrence}`);
    occurrence = next.id;
    own(first, occurrence);
  }

  await untilSettled(system);
  let sent = 0;
  for (const pass of schedulerPasses) sent += (await system.api.system.reminders.runDueReminders(pass)).sent;
  if (sent === 0) throw new Error(`the scheduler sent no reminder by ${day}T12:00Z`);

  // The dead letter: a change no read model can store (a year-0000 due), as an old log may hold it.
  const poisoned = tasks.get(first.id)?.[1];
  if (!poisoned) throw new Error('no task to poison');
  const { db } = system.api.system.database;
  await db.query(
    `WITH head AS (UPDATE streams SET version = version + 1, updated_at = now() WHERE stream_id = $1 RETURNING version)
     INSERT INTO events (event_id, stream_id, version, type, schema_version, data, metadata)
     SELECT $2, $1, head.version, 'TaskUpdated', 1, $3::jsonb,
            jsonb_build_object('user_id', $4::text, 'correlation_id', gen_random_uuid(), 'causation_id', NULL,
              'traceparent', NULL, 'idempotency_key', NULL, 'request_id', NULL)
       FROM head`,
    [poisoned, randomUUID(), JSON.stringify({ task_id: poisoned, changes: { due: { date: '0000-01-01' } }, updated_at: new Date().toISOString() }), first.id],
  );
  await db.query(`SELECT pg_notify('${APPENDS_CHANNEL}', '')`);
  await untilSettled(system);

  const events = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM events')).rows[0]?.n ?? 0;
  return { users, tasks, schedulerPasses, remindersSent: sent, events, idempotent };
}
