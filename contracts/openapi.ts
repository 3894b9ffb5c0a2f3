import { z } from 'zod';
import { CommandAccepted, CreateTaskBody, UpdateTaskBody } from './commands.ts';
import { TASK_EVENT_PAYLOADS } from './events/task-events.ts';
import { TaskCloudEvent } from './events/cloudevent.ts';
import { FieldError, Problem } from './problem.ts';
import { Channel, Due, Priority, Recurrence, Reminder, Task, TaskId } from './task.ts';

/*
 * The OpenAPI 3.1 document, built from the zod contracts. `npm run generate` writes it (and the event JSON
 * Schemas) into contracts/generated/; a test fails when the committed files drift from the schemas.
 */

const ref = (id: string) => ({ $ref: `#/components/schemas/${id}` });
const json = (id: string) => ({ content: { 'application/json': { schema: ref(id) } } });
const problemResponse = (description: string) => ({ description, content: { 'application/problem+json': { schema: ref('Problem') } } });

const taskIdParam = { name: 'id', in: 'path', required: true, schema: ref('TaskId') };
const ifMatch = {
  name: 'If-Match', in: 'header', required: false, schema: { type: 'string' },
  description: 'The task version the client last saw; a stale one answers 412',
};
const idempotencyKey = {
  name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string', maxLength: 200 },
  description: 'A retry with the same key answers the first result and appends nothing',
};

const commandResponses = (success: string, status: '200' | '201') => ({
  [status]: { description: success, ...json('CommandAccepted'), headers: { ETag: { schema: { type: 'string' }, description: 'The new version' } } },
  '400': problemResponse('Invalid body, parameters or headers; `errors` lists each field'),
  '401': problemResponse('Missing, malformed or expired token'),
  '404': problemResponse('No such task (or another user\'s)'),
  '409': problemResponse('A concurrent write won; `current_version` tells the version now'),
  '412': problemResponse('If-Match is stale; `current_version` tells the version now'),
  '413': problemResponse('Body over 64 KiB'),
  '422': problemResponse('Idempotency-Key reused with a different request'),
});

const command = (summary: string, operationId: string, status: '200' | '201' = '200', body?: string) => ({
  summary,
  operationId,
  tags: ['commands'],
  parameters: status === '201' ? [idempotencyKey] : [taskIdParam, ifMatch, idempotencyKey],
  ...(body ? { requestBody: { required: true, ...json(body) } } : {}),
  responses: commandResponses('Accepted: the events are in the store', status),
});

export function buildOpenApiDocument(): Record<string, unknown> {
  // Registered explicitly so the document names exactly the public shapes, in a stable order.
  const registry = z.registry<{ id: string }>();
  const publicSchemas = [
    CreateTaskBody, UpdateTaskBody, CommandAccepted, Task, TaskId, Priority, Channel, Due, Reminder, Recurrence, Problem, FieldError,
  ];
  for (const schema of publicSchemas) {
    const id = schema.meta()?.id;
    if (typeof id === 'string') registry.add(schema, { id });
  }
  const generated = z.toJSONSchema(registry, { target: 'draft-2020-12', io: 'input', uri: (id) => `#/components/schemas/${id}` });
  // Components are plain schemas inside the document: no $schema or $id of their own.
  const schemas = Object.fromEntries(
    Object.entries(generated.schemas).map(([id, { $schema: _schema, $id: _id, ...schema }]) => [id, schema]),
  );
  return {
    openapi: '3.1.0',
    info: {
      title: 'Todo',
      version: '1.0.0',
      description: 'Event-sourced task service. Every change is an event; commands answer a consistency token (`position`).',
    },
    servers: [{ url: '/' }],
    security: [{ bearer: [] }],
    tags: [{ name: 'commands', description: 'Change tasks: each appends events and answers {task_id, version, position}' }],
    paths: {
      '/api/tasks': { post: command('Create a task', 'createTask', '201', 'CreateTaskBody') },
      '/api/tasks/{id}': {
        patch: command('Update a task (absent fields stay, null clears)', 'updateTask', '200', 'UpdateTaskBody'),
        delete: command('Delete a task (reopen restores it)', 'deleteTask'),
      },
      '/api/tasks/{id}/complete': { post: command('Complete a task', 'completeTask') },
      '/api/tasks/{id}/reopen': { post: command('Reopen a completed or deleted task', 'reopenTask') },
    },
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      schemas,
    },
  };
}

/** JSON Schemas of the events, one file each: the contract for consumers on the bus. */
export function buildEventSchemas(): Record<string, unknown> {
  const files: Record<string, unknown> = {};
  for (const [type, schema] of Object.entries(TASK_EVENT_PAYLOADS)) {
    files[`${type}.schema.json`] = { $id: `urn:todo:event:${type}`, ...z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'output' }) };
  }
  files['TaskCloudEvent.schema.json'] = { $id: 'urn:todo:event:TaskCloudEvent', ...z.toJSONSchema(TaskCloudEvent, { target: 'draft-2020-12', io: 'output' }) };
  return files;
}
