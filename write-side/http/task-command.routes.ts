import { z } from 'zod';
import { newTimeOrderedId } from '../time-ordered-id.ts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { CommandAccepted, CreateTaskBody, TaskIdParams, UpdateTaskBody } from '../../contracts/commands.ts';
import { CommandHeaders } from '../../contracts/http-headers.ts';
import { defineRoute, problemAnswer, type HeaderDocumentation, type LinkDocumentation, type ResponseDocumentation } from '../../contracts/http-route.ts';
import { sendProblem } from '../../contracts/problem-reply.ts';
import { changesFromPatch } from '../../domain/task/fields.ts';
import type { CommandHandler, CommandInput, CommandOutcome } from '../commands/command-handler.ts';
import { commandContext } from './command-context.ts';
import { commandProblem } from './command-problem.ts';

function sendOutcome(reply: FastifyReply, outcome: CommandOutcome, status: number): FastifyReply {
  if (!outcome.ok) return sendProblem(reply, commandProblem(outcome.error));
  const { task_id, version, position } = outcome.value;
  return reply.code(status).header('etag', `"${version}"`).send({ task_id, version, position });
}

const etag: Record<string, HeaderDocumentation> = { etag: { description: 'The task\'s new version, quoted: send it back as If-Match', schema: z.string() } };

/** Where the id of a created task leads: every operation on one task. */
const CREATED_TASK_LINKS: Record<string, LinkDocumentation> = Object.fromEntries(([
  ['GetTask', 'getTask', 'Read the created task'],
  ['UpdateTask', 'updateTask', 'Change the created task'],
  ['DeleteTask', 'deleteTask', 'Delete the created task'],
  ['CompleteTask', 'completeTask', 'Complete the created task'],
  ['ReopenTask', 'reopenTask', 'Reopen the created task'],
  ['GetTaskHistory', 'getTaskHistory', 'The created task\'s events'],
  ['GetTaskState', 'getTaskState', 'The created task as it was at a version or an instant'],
  ['GetTaskOccurrences', 'getTaskOccurrences', 'The next dues of the created task'],
] as const).map(([name, operationId, description]) => [name, { operationId, description, parameters: { id: '$response.body#/task_id' } }]));

const accepted = (status: 200 | 201): Record<number, ResponseDocumentation> => ({
  [status]: {
    description: 'Accepted: the events are in the store (a command that changes nothing answers the current version)',
    schema: CommandAccepted,
    headers: status === 201 ? { ...etag, location: { description: 'The new task', schema: z.string() } } : etag,
    ...(status === 201 ? { links: CREATED_TASK_LINKS } : {}),
  },
});

const commandAnswers = {
  400: problemAnswer('The task would not be valid; `errors` lists each field'),
  409: problemAnswer('A concurrent write won (`current_version` tells the version now), or the id belongs to another task'),
  412: problemAnswer('If-Match is stale; `current_version` tells the version now'),
  422: problemAnswer('Idempotency-Key reused with a different request'),
};
const onATask = { ...commandAnswers, 404: problemAnswer('No such task (or another user\'s); only reopen finds a deleted one') };

/** The five command endpoints. Each builds a command from its parsed request, calls the handler and maps the result. */
export function registerTaskCommandRoutes(app: FastifyInstance, deps: { commands: CommandHandler }): void {
  const run = async (request: FastifyRequest, reply: FastifyReply, headers: CommandHeaders, command: CommandInput, status: number) => {
    const outcome = await deps.commands.handle(command, commandContext(request, headers));
    if (outcome.ok && command.type === 'CreateTask') reply.header('location', `/api/tasks/${outcome.value.task_id}`);
    return sendOutcome(reply, outcome, status);
  };

  defineRoute(app, {
    method: 'POST', url: '/api/tasks', operationId: 'createTask', summary: 'Create a task', tags: ['commands'],
    headers: CommandHeaders, body: CreateTaskBody,
    responses: { ...accepted(201), ...commandAnswers, 404: problemAnswer('If-Match names a version of a task that does not exist (or is another user\'s)') },
    handler: ({ headers, body: { id, title, ...fields } }, request, reply) => run(request, reply, headers, {
      type: 'CreateTask', task_id: id ?? newTimeOrderedId(), user_id: request.principal.user_id, fields: { title, ...changesFromPatch(fields) },
    }, 201),
  });

  defineRoute(app, {
    method: 'PATCH', url: '/api/tasks/:id', operationId: 'updateTask', summary: 'Update a task (absent fields stay, null clears)', tags: ['commands'],
    headers: CommandHeaders, params: TaskIdParams, body: UpdateTaskBody,
    responses: { ...accepted(200), ...onATask },
    handler: ({ headers, params, body }, request, reply) =>
      run(request, reply, headers, { type: 'UpdateTask', task_id: params.id, user_id: request.principal.user_id, changes: changesFromPatch(body) }, 200),
  });

  const onTask = (method: 'POST' | 'DELETE', url: string, type: 'CompleteTask' | 'ReopenTask' | 'DeleteTask', operationId: string, summary: string) =>
    defineRoute(app, {
      method, url, operationId, summary, tags: ['commands'],
      headers: CommandHeaders, params: TaskIdParams,
      responses: { ...accepted(200), ...onATask },
      handler: ({ headers, params }, request, reply) =>
        run(request, reply, headers, { type, task_id: params.id, user_id: request.principal.user_id }, 200),
    });
  onTask('POST', '/api/tasks/:id/complete', 'CompleteTask', 'completeTask', 'Complete a task');
  onTask('POST', '/api/tasks/:id/reopen', 'ReopenTask', 'reopenTask', 'Reopen a completed or deleted task');
  onTask('DELETE', '/api/tasks/:id', 'DeleteTask', 'deleteTask', 'Delete a task (reopen restores it)');
}
