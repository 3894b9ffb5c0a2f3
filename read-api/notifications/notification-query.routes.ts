import type { FastifyInstance } from 'fastify';
import { ReadYourWritesHeaders } from '../../contracts/http-headers.ts';
import { defineRoute, problemAnswer } from '../../contracts/http-route.ts';
import { ListNotificationsQuery, NotificationPage } from '../../contracts/notifications.ts';
import type { Queryable } from '../../contracts/ports/sql.ts';
import { awaitPosition, notCaughtUpAnswer } from '../consistency/read-your-writes.ts';
import type { ProjectionWaiter } from '../consistency/wait-for-projection.ts';
import { listNotifications } from './list-notifications.sql.ts';
import { decodeNotificationCursor, encodeNotificationCursor } from './notification-cursor.ts';
import { PROJECTIONS } from '../../contracts/projection-names.ts';
import { refuseCursor } from '../paging/refuse-cursor.ts';

/** The projection that keeps the schedule (projections/notification), for read-your-writes. */

/** `GET /api/notifications`: the caller's reminders, pending and past, newest fire time first. */
export function registerNotificationQueryRoutes(app: FastifyInstance, deps: { db: Queryable; waiter: ProjectionWaiter }): void {
  defineRoute(app, {
    method: 'GET', url: '/api/notifications', operationId: 'listNotifications', tags: ['notifications'],
    summary: 'The caller\'s reminders, pending and past, newest fire time first, with the outcome on each channel',
    query: ListNotificationsQuery, headers: ReadYourWritesHeaders,
    responses: {
      200: { description: 'A page of reminders; `next_cursor` is null on the last page', schema: NotificationPage },
      400: problemAnswer('Invalid query parameters (or a cursor of another list); `errors` lists each one'),
      503: notCaughtUpAnswer,
    },
    handler: async ({ query: q, headers }, request, reply) => {
      const cursor = q.cursor === undefined ? undefined : decodeNotificationCursor(q.cursor);
      if (cursor === null) return refuseCursor(reply, 'of this list');
      const target = { waiter: deps.waiter, projection: PROJECTIONS.notification, readModel: 'reminder schedule' };
      if (!(await awaitPosition(reply, { query: q.min_position, header: headers['x-min-position'] }, target))) return reply;

      const rows = await listNotifications(deps.db, {
        userId: request.principal.user_id,
        ...(q.status ? { status: q.status } : {}),
        ...(cursor ? { after: cursor } : {}),
        limit: q.limit + 1,
      });
      const items = rows.slice(0, q.limit);
      const last = items.at(-1);
      const body: NotificationPage = {
        items,
        next_cursor: rows.length > q.limit && last ? encodeNotificationCursor(last) : null,
      };
      return body;
    },
  });
}
