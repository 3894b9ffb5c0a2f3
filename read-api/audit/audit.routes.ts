import type { FastifyInstance } from 'fastify';
import { AUDITED_FIELDS, AuditPage, AuditQuery, type AuditEntry } from '../../contracts/audit.ts';
import { ReadYourWritesHeaders } from '../../contracts/http-headers.ts';
import { defineRoute, problemAnswer } from '../../contracts/http-route.ts';
import type { Queryable } from '../../contracts/ports/sql.ts';
import { sendProblem } from '../../contracts/problem-reply.ts';
import { problem } from '../../contracts/problem.ts';
import type { AuditRow } from '../../contracts/read-models/audit-log-row.ts';
import { awaitPosition, notCaughtUpAnswer } from '../consistency/read-your-writes.ts';
import type { ProjectionWaiter } from '../consistency/wait-for-projection.ts';
import { decodeAuditCursor, encodeAuditCursor } from './audit-cursor.ts';
import { listAuditEntries } from './list-audit-entries.sql.ts';
import { PROJECTIONS } from '../../contracts/projection-names.ts';
import { refuseCursor } from '../paging/refuse-cursor.ts';


export interface AuditQueryDeps {
  readonly db: Queryable;
  readonly waiter: ProjectionWaiter;
}

// jsonb keeps keys in its own order (shortest first); answer them in the contract's order instead.
function inFieldOrder<T extends object>(fields: T): T {
  const entries = Object.entries(fields);
  const rank = (key: string) => AUDITED_FIELDS.findIndex((field) => field === key);
  entries.sort(([a], [b]) => rank(a) - rank(b));
  return Object.fromEntries(entries) as T;
}

function toEntry(row: AuditRow): AuditEntry {
  return {
    event_id: row.event_id,
    position: row.position,
    task_id: row.task_id,
    owner_id: row.owner_id,
    actor_id: row.actor_id,
    action: row.action,
    before: row.before && inFieldOrder(row.before),
    after: inFieldOrder(row.after),
    occurred_at: row.occurred_at.toISOString(),
    correlation_id: row.correlation_id,
  };
}

export function registerAuditRoutes(app: FastifyInstance, deps: AuditQueryDeps): void {
  defineRoute(app, {
    method: 'GET', url: '/api/audit', operationId: 'listAuditEntries', tags: ['audit'],
    summary: 'The audit log of the caller\'s tasks (or, for an admin, another user\'s), newest first',
    query: AuditQuery, headers: ReadYourWritesHeaders,
    responses: {
      200: { description: 'A page of entries; `next_cursor` is null on the last page', schema: AuditPage },
      400: problemAnswer('Invalid query parameters (or a cursor this server did not issue); `errors` lists each one'),
      403: problemAnswer('user_id names another user and the caller is not an admin'),
      503: notCaughtUpAnswer,
    },
    handler: async ({ query: q, headers }, request, reply) => {
      const before = q.cursor === undefined ? undefined : decodeAuditCursor(q.cursor);
      if (before === null) {
        return refuseCursor(reply, 'this server issued');
      }
      const caller = request.principal;
      const owner = q.user_id ?? caller.user_id;
      // The one place a 403 is right: the caller asks, by name, for another user's log, which is an admin's
      // privilege; there is no resource whose existence a 404 would need to hide.
      if (owner !== caller.user_id && !caller.is_admin) {
        return sendProblem(reply, problem('forbidden', 403, 'Only an admin may read another user\'s audit log', {
          detail: 'leave out user_id to read the audit log of your own tasks',
        }));
      }
      const asked = { query: q.min_position, header: headers['x-min-position'] };
      if (!(await awaitPosition(reply, asked, { waiter: deps.waiter, projection: PROJECTIONS.audit, readModel: 'audit log' }))) return reply;

      const rows = await listAuditEntries(deps.db, {
        filter: {
          owner_id: owner,
          ...(q.task_id ? { task_id: q.task_id } : {}),
          ...(q.action ? { action: q.action } : {}),
          ...(q.from ? { from: q.from } : {}),
          ...(q.to ? { to: q.to } : {}),
        },
        // One entry more than a page tells whether another page follows.
        limit: q.limit + 1,
        ...(before === undefined ? {} : { beforePosition: before }),
      });
      const page = rows.slice(0, q.limit);
      const last = page.at(-1);
      const body: AuditPage = {
        items: page.map(toEntry),
        next_cursor: rows.length > q.limit && last ? encodeAuditCursor(last.position) : null,
      };
      return body;
    },
  });
}
