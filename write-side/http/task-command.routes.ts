import { newTimeOrderedId } from '../time-ordered-id.ts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { CreateTaskBody, TaskIdParams, UpdateTaskBody } from '../../contracts/commands.ts';
import { invalidRequest, sendProblem } from '../../contracts/problem-reply.ts';
import { parseInput } from '../../contracts/validation.ts';
import { changesFromPatch } from '../../domain/task/fields.ts';
import type { FieldError } from '../../domain/task/types.ts';
import type { CommandHandler, CommandInput, CommandOutcome } from '../commands/command-handler.ts';
import { commandContext } from './command-context.ts';
import { commandProblem } from './command-problem.ts';

function sendOutcome(reply: FastifyReply, outcome: CommandOutcome, status: number): FastifyReply {
  if (!outcome.ok) return sendProblem(reply, commandProblem(outcome.error));
  const { task_id, version, position } = outcome.value;
  return reply.code(status).header('etag', `"${version}"`).send({ task_id, version, position });
}

/** The five command endpoints. Each validates, builds a command, calls the handler and maps the result. */
export function registerTaskCommandRoutes(app: FastifyInstance, deps: { commands: CommandHandler }): void {
  const run = async (
    request: FastifyRequest,
    reply: FastifyReply,
    build: (userId: string) => { command: CommandInput; status: number } | FieldError[],
  ): Promise<FastifyReply> => {
    const context = commandContext(request);
    if (!context.ok) return sendProblem(reply, invalidRequest(context.error));
    const built = build(request.principal.user_id);
    if (Array.isArray(built)) return sendProblem(reply, invalidRequest(built));
    const outcome = await deps.commands.handle(built.command, context.value);
    if (outcome.ok && built.command.type === 'CreateTask') reply.header('location', `/api/tasks/${outcome.value.task_id}`);
    return sendOutcome(reply, outcome, built.status);
  };

  const withId = (request: FastifyRequest, type: 'CompleteTask' | 'ReopenTask' | 'DeleteTask') => (userId: string) => {
    const params = parseInput(TaskIdParams, request.params, 'params');
    return params.ok ? { command: { type, task_id: params.value.id, user_id: userId }, status: 200 } : params.error;
  };

  app.post('/api/tasks', (request, reply) =>
    run(request, reply, (userId) => {
      const body = parseInput(CreateTaskBody, request.body ?? undefined, 'body');
      if (!body.ok) return body.error;
      const { id, title, ...fields } = body.value;
      return { command: { type: 'CreateTask', task_id: id ?? newTimeOrderedId(), user_id: userId, fields: { title, ...changesFromPatch(fields) } }, status: 201 };
    }));

  app.patch('/api/tasks/:id', (request, reply) =>
    run(request, reply, (userId) => {
      const params = parseInput(TaskIdParams, request.params, 'params');
      if (!params.ok) return params.error;
      const body = parseInput(UpdateTaskBody, request.body ?? undefined, 'body');
      if (!body.ok) return body.error;
      return { command: { type: 'UpdateTask', task_id: params.value.id, user_id: userId, changes: changesFromPatch(body.value) }, status: 200 };
    }));

  app.post('/api/tasks/:id/complete', (request, reply) => run(request, reply, withId(request, 'CompleteTask')));
  app.post('/api/tasks/:id/reopen', (request, reply) => run(request, reply, withId(request, 'ReopenTask')));
  app.delete('/api/tasks/:id', (request, reply) => run(request, reply, withId(request, 'DeleteTask')));
}
