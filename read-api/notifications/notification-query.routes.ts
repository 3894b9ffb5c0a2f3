import type { FastifyInstance } from 'fastify';
import { ListNotificationsQuery, type NotificationPage } from '../../contracts/notifications.ts';
import { invalidRequest, sendProblem } from '../../contracts/problem-reply.ts';
import type { Queryable } from '../../contracts/ports/sql.ts';
import { parseInput } from '../../contracts/validation.ts';
import { awaitPosition } from '../consistency/read-your-writes.ts';
import type { ProjectionWaiter } from '../consistency/wait-for-projection.ts';
import { listNotifications } from './list-notifications.sql.ts';
import { decodeNotificationCursor, encodeNotificationCursor } from './notification-cursor.ts';
import { PROJECTIONS } from '../../contracts/projection-names.ts';

/** The projection that keeps the schedule (projections/notification), for read-your-writes. */

/** `GET /api/notifications`: the caller's reminders, pending and past, newest fire time first. */
export function registerNotificationQueryRoutes(app: FastifyInstance, deps: { db: Queryable; waiter: ProjectionWaiter }): void {
  app.get('/api/notifications', async (request, reply) => {
    const query = parseInput(ListNotificationsQuery, request.query, 'query');
    if (!query.ok) return sendProblem(reply, invalidRequest(query.error));
    const q = query.value;
    const cursor = q.cursor === undefined ? undefined : decodeNotificationCursor(q.cursor);
    if (cursor === null) return sendProblem(reply, invalidRequest([{ path: 'query.cursor', message: 'not a cursor of this list; start again without it' }]));
    const target = { waiter: deps.waiter, projection: PROJECTIONS.notification, readModel: 'reminder schedule' };
    if (!(await awaitPosition(request, reply, q.min_position, target))) return reply;

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
  });
}
