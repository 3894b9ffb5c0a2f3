import type { EventLog } from '../../contracts/ports/event-log.ts';
import type { Queryable } from '../../contracts/ports/sql.ts';
import { DEFAULT_ORDER, type ListTasksQuery } from '../../contracts/queries.ts';
import type { TaskPageRequest } from './list-tasks.sql.ts';
import { pageAnchor } from './page-anchor.ts';
import { decodeCursor } from './task-cursor.ts';

/**
 * What `GET /api/tasks` asks of task_view for a query: its filters for the user, its sort and order, one
 * task more than the page (whether there is a next page), and where a cursor's page starts. Null for a
 * cursor this query cannot continue from (forged, another user's, another sort and order's).
 */
export async function pageRequestOf(
  deps: { readonly db: Queryable; readonly log: Pick<EventLog, 'readStream'> },
  userId: string,
  query: ListTasksQuery,
  now: string,
): Promise<TaskPageRequest | null> {
  const { sort, order: givenOrder, limit, cursor: givenCursor, min_position: _minPosition, ...filters } = query;
  const order = givenOrder ?? DEFAULT_ORDER[sort];
  const cursor = givenCursor === undefined ? undefined : decodeCursor(givenCursor);
  if (cursor === null || (cursor && (cursor.sort !== sort || cursor.order !== order))) return null;
  const anchor = cursor ? await pageAnchor(deps, userId, cursor) : undefined;
  if (anchor === null) return null;
  return { filter: { ...filters, user_id: userId, now }, sort, order, limit: limit + 1, ...(anchor ? { after: anchor } : {}) };
}
