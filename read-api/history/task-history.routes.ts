import type { FastifyInstance } from 'fastify';
import { TaskIdParams } from '../../contracts/commands.ts';
import type { StoredEvent } from '../../contracts/events/stored-event.ts';
import { TaskAsOf, TaskHistoryPage, TaskHistoryQuery, TaskStateQuery, type AsOf } from '../../contracts/history.ts';
import { defineRoute, problemAnswer } from '../../contracts/http-route.ts';
import type { EventLog } from '../../contracts/ports/event-log.ts';
import { sendProblem } from '../../contracts/problem-reply.ts';
import { problem, type Problem } from '../../contracts/problem.ts';
import { toTaskView } from '../../contracts/task-response.ts';
import { eventsAsOf } from './fold-as-of.ts';
import { foldWholeStream } from '../../contracts/events/fold-task-stream.ts';
import { decodeHistoryCursor, encodeHistoryCursor } from './history-cursor.ts';
import { taskOwner } from './task-owner.ts';
import { refuseCursor } from '../paging/refuse-cursor.ts';

// The same answer as for a task that never existed, so another user's ids cannot be probed.
const noSuchTask = (id: string): Problem => problem('not_found', 404, 'No such task', { detail: `task ${id} does not exist` });

const notYet = (id: string, asOf: AsOf): Problem =>
  problem('not_found', 404, 'The task did not exist yet', {
    detail: `task ${id} was created after ${'version' in asOf ? `version ${asOf.version}` : asOf.at}`,
  });

// Only the metadata that explains an event; idempotency keys, request ids and trace context stay internal.
function historyItem(event: StoredEvent) {
  const { user_id, correlation_id, causation_id } = event.metadata;
  return {
    event_id: event.event_id,
    type: event.type,
    version: event.version,
    position: event.position,
    created_at: event.created_at,
    data: event.data,
    metadata: { user_id, correlation_id, causation_id },
  };
}

/**
 * A task's events and its state at a past version or instant, read from the event store itself: always
 * current, and folded with the domain's `evolve` so the past looks exactly as the write side saw it.
 */
export function registerTaskHistoryRoutes(app: FastifyInstance, deps: { log: Pick<EventLog, 'readStream'> }): void {
  defineRoute(app, {
    method: 'GET', url: '/api/tasks/:id/history', operationId: 'getTaskHistory', tags: ['history'],
    summary: 'The task\'s events in version order, paged',
    params: TaskIdParams, query: TaskHistoryQuery,
    responses: {
      200: { description: 'Read from the event store: always includes every answered command', schema: TaskHistoryPage },
      400: problemAnswer('Invalid id or query parameters (or a cursor this server did not issue); `errors` lists each one'),
      404: problemAnswer('No such task (or another user\'s)'),
    },
    handler: async ({ params, query }, request, reply) => {
      const { limit, cursor } = query;
      const after = cursor === undefined ? 0 : decodeHistoryCursor(cursor);
      if (after === null) {
        return refuseCursor(reply, 'this server issued');
      }

      const id = params.id;
      // One event more than a page tells whether another page follows.
      const events = await deps.log.readStream(id, { fromVersion: after + 1, limit: limit + 1 });
      const first = after === 0 ? events[0] : (await deps.log.readStream(id, { toVersion: 1 }))[0];
      if (taskOwner(first) !== request.principal.user_id) return sendProblem(reply, noSuchTask(id));

      const page = events.slice(0, limit);
      const last = page.at(-1);
      return { items: page.map(historyItem), next_cursor: events.length > limit && last ? encodeHistoryCursor(last.version) : null };
    },
  });

  defineRoute(app, {
    method: 'GET', url: '/api/tasks/:id/state', operationId: 'getTaskState', tags: ['history'],
    summary: 'The task as it was: folded from its events up to a version or an instant',
    description: 'Exactly one of `version` (fold events 1..version; beyond the last version the latest state answers) '
      + 'and `at` (an ISO 8601 instant with offset: fold the events the store recorded at or before it).',
    params: TaskIdParams, query: TaskStateQuery,
    responses: {
      200: { description: 'Read from the event store: always includes every answered command', schema: TaskAsOf },
      404: problemAnswer('No such task (or another user\'s), or it did not exist yet at that point'),
    },
    handler: async ({ params, query }, request, reply) => {
      const { as_of } = query;
      const id = params.id;
      // Version 1 is read even for version 0: "not yours" must be settled before "not yet" may be said.
      const events = await deps.log.readStream(id, 'version' in as_of ? { toVersion: Math.max(as_of.version, 1) } : {});
      if (taskOwner(events[0]) !== request.principal.user_id) return sendProblem(reply, noSuchTask(id));

      const state = foldWholeStream(eventsAsOf(events, as_of));
      if (state.kind === 'absent') return sendProblem(reply, notYet(id, as_of));
      const body: TaskAsOf = { version: state.task.version, as_of, deleted: state.task.deleted_at !== null, task: toTaskView(state.task) };
      return body;
    },
  });
}
