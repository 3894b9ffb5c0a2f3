import type { DataSet, DrillUser } from './data-set.ts';
import { caller } from './data-set.ts';
import type { DrillSystem } from './drill-system.ts';

/** One answer of the API, as a client sees it. */
export interface Answer { readonly status: number; readonly body: unknown }

/** Everything the data set's users can read, per user: what a restore must give back identical. */
export interface ApiSnapshot {
  readonly tasks: Record<string, unknown[]>;
  /** Each task of the data set as GET /api/tasks/:id answers it (deleted ones too: their answer is compared). */
  readonly task: Record<string, Answer>;
  readonly history: Record<string, unknown[] | Answer>;
  readonly audit: Record<string, unknown[]>;
  readonly notifications: Record<string, unknown[]>;
}

interface Page { items: unknown[]; next_cursor: string | null }

function isPage(body: unknown): body is Page {
  return typeof body === 'object' && body !== null && 'items' in body && Array.isArray(body.items) && 'next_cursor' in body;
}

/** Every item of a paged endpoint, page after page (cursors are opaque: only the items are compared). */
async function allPages(call: ReturnType<typeof caller>, user: DrillUser, path: string): Promise<unknown[] | Answer> {
  const items: unknown[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 1000; page += 1) {
    const separator = path.includes('?') ? '&' : '?';
    const answer = await call(user, 'GET', `${path}${separator}limit=50${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    if (answer.status !== 200 || !isPage(answer.body)) return answer;
    items.push(...answer.body.items);
    cursor = answer.body.next_cursor;
    if (cursor === null) return items;
  }
  throw new Error(`${path}: more than 1000 pages`);
}

async function listed(call: ReturnType<typeof caller>, user: DrillUser, path: string): Promise<unknown[]> {
  const items = await allPages(call, user, path);
  if (!Array.isArray(items)) throw new Error(`${path} as ${user.id}: ${items.status} ${JSON.stringify(items.body)}`);
  return items;
}

/**
 * Reads, through the API, every task list, task, history entry, audit entry and notification record of the
 * data set's users. Two systems holding the same data answer equal snapshots.
 */
export async function snapshotApi(system: DrillSystem, data: DataSet): Promise<ApiSnapshot> {
  const call = caller(system);
  const snapshot: ApiSnapshot = { tasks: {}, task: {}, history: {}, audit: {}, notifications: {} };
  for (const user of data.users) {
    snapshot.tasks[user.id] = await listed(call, user, '/api/tasks?sort=created&order=asc');
    snapshot.audit[user.id] = await listed(call, user, '/api/audit');
    snapshot.notifications[user.id] = await listed(call, user, '/api/notifications');
    for (const id of data.tasks.get(user.id) ?? []) {
      snapshot.task[id] = await call(user, 'GET', `/api/tasks/${id}`);
      snapshot.history[id] = await allPages(call, user, `/api/tasks/${id}/history`);
    }
  }
  return snapshot;
}

/** How big a snapshot is, for the drill's report. */
export function snapshotSize(snapshot: ApiSnapshot): Record<string, number> {
  const count = (record: Record<string, unknown[] | Answer>) => Object.values(record).reduce((n, v) => n + (Array.isArray(v) ? v.length : 0), 0);
  return {
    tasks_listed: count(snapshot.tasks),
    tasks: Object.keys(snapshot.task).length,
    history_entries: count(snapshot.history),
    audit_entries: count(snapshot.audit),
    notification_records: count(snapshot.notifications),
  };
}
