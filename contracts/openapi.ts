import { z } from 'zod';
import { AUDIT_ACTIONS, AuditAction, AuditEntry, AuditFields, AuditPage, DEFAULT_AUDIT_PAGE_SIZE, MAX_AUDIT_PAGE_SIZE } from './audit.ts';
import { CommandAccepted, CreateTaskBody, UpdateTaskBody } from './commands.ts';
import { Device, RegisterDeviceBody } from './devices.ts';
import {
  TASK_EVENT_PAYLOADS, TaskCompletedPayload, TaskCreatedPayload, TaskDeletedPayload, TaskReopenedPayload, TaskUpdatedPayload,
} from './events/task-events.ts';
import { TaskCloudEvent } from './events/cloudevent.ts';
import {
  DEFAULT_HISTORY_PAGE_SIZE, EventMetadataView, MAX_HISTORY_PAGE_SIZE, TaskAsOf, TaskHistoryEvent, TaskHistoryPage,
} from './history.ts';
import { NOTIFICATION_STATUSES, Notification, NotificationDelivery, NotificationPage } from './notifications.ts';
import { FieldError, Problem } from './problem.ts';
import { MAX_PAGE_SIZE } from './queries.ts';
import { DEFAULT_OCCURRENCE_PREVIEW, MAX_OCCURRENCE_PREVIEW, Occurrence, TaskOccurrences } from './recurrence.ts';
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

const minPositionParam = {
  name: 'min_position', in: 'query', required: false, schema: { type: 'integer', minimum: 0 },
  description: 'Accepted like on every query; always satisfied here, as the event store itself is read',
};

const historyQuery = (summary: string, operationId: string, parameters: readonly object[], response: string, notFound: string) => ({
  summary,
  operationId,
  tags: ['history'],
  parameters: [taskIdParam, ...parameters, minPositionParam],
  responses: {
    '200': { description: 'Read from the event store: always includes every answered command', ...json(response) },
    '400': problemResponse('Invalid id or query parameters; `errors` lists each one'),
    '401': problemResponse('Missing, malformed or expired token'),
    '404': problemResponse(notFound),
  },
});

const auditQuery = {
  summary: 'The audit log of the caller\'s tasks (or, for an admin, another user\'s), newest first',
  operationId: 'listAuditEntries',
  tags: ['audit'],
  parameters: [
    { name: 'task_id', in: 'query', required: false, schema: ref('TaskId'), description: 'Only this task\'s entries' },
    { name: 'action', in: 'query', required: false, schema: { type: 'string', enum: [...AUDIT_ACTIONS] } },
    { name: 'from', in: 'query', required: false, schema: { type: 'string', format: 'date-time' }, description: 'occurred_at ≥ this instant (with offset)' },
    { name: 'to', in: 'query', required: false, schema: { type: 'string', format: 'date-time' }, description: 'occurred_at < this instant (with offset); later than from' },
    {
      name: 'user_id', in: 'query', required: false, schema: { type: 'string', minLength: 1, maxLength: 200 },
      description: 'Whose tasks: the caller\'s by default; another user\'s needs the admin role',
    },
    { name: 'limit', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: MAX_AUDIT_PAGE_SIZE, default: DEFAULT_AUDIT_PAGE_SIZE } },
    { name: 'cursor', in: 'query', required: false, schema: { type: 'string' }, description: 'Opaque: `next_cursor` of the previous page' },
    {
      name: 'min_position', in: 'query', required: false, schema: { type: 'integer', minimum: 0 },
      description: 'Wait until the audit log has this position (read your writes); 503 with Retry-After past the bound',
    },
  ],
  responses: {
    '200': { description: 'A page of entries; `next_cursor` is null on the last page', ...json('AuditPage') },
    '400': problemResponse('Invalid query parameters; `errors` lists each one'),
    '401': problemResponse('Missing, malformed or expired token'),
    '403': problemResponse('user_id names another user and the caller is not an admin'),
    '503': problemResponse('min_position not reached within the bound; retry after Retry-After'),
  },
};

const occurrencesQuery = {
  summary: 'Preview the dues of a recurring task\'s next occurrences',
  operationId: 'getTaskOccurrences',
  tags: ['recurrence'],
  parameters: [
    taskIdParam,
    {
      name: 'count', in: 'query', required: false,
      schema: { type: 'integer', minimum: 1, maximum: MAX_OCCURRENCE_PREVIEW, default: DEFAULT_OCCURRENCE_PREVIEW },
      description: 'How many occurrences at most',
    },
    {
      name: 'min_position', in: 'query', required: false, schema: { type: 'integer', minimum: 0 },
      description: 'Wait until the task read model has this position (read your writes); 503 with Retry-After past the bound',
    },
  ],
  responses: {
    '200': { description: 'The next dues; `occurrences` is empty for a task that does not recur or whose series has ended', ...json('TaskOccurrences') },
    '400': problemResponse('Invalid id or query parameters; `errors` lists each one'),
    '401': problemResponse('Missing, malformed or expired token'),
    '404': problemResponse('No such task (or another user\'s, or deleted)'),
    '503': problemResponse('min_position not reached within the bound; retry after Retry-After'),
  },
};

const notificationsQuery = {
  summary: 'The caller\'s reminders, pending and past, newest fire time first, with the outcome on each channel',
  operationId: 'listNotifications',
  tags: ['notifications'],
  parameters: [
    {
      name: 'status', in: 'query', required: false, schema: { type: 'string', enum: [...NOTIFICATION_STATUSES] },
      description: 'pending: not yet through on every channel; otherwise the best outcome: sent, failed, missed, cancelled',
    },
    { name: 'limit', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: MAX_PAGE_SIZE, default: 50 } },
    { name: 'cursor', in: 'query', required: false, schema: { type: 'string' }, description: 'Opaque: `next_cursor` of the previous page' },
    {
      name: 'min_position', in: 'query', required: false, schema: { type: 'integer', minimum: 0 },
      description: 'Wait until the reminder schedule has this position (read your writes); 503 with Retry-After past the bound',
    },
  ],
  responses: {
    '200': { description: 'A page of reminders; `next_cursor` is null on the last page', ...json('NotificationPage') },
    '400': problemResponse('Invalid query parameters; `errors` lists each one'),
    '401': problemResponse('Missing, malformed or expired token'),
    '503': problemResponse('min_position not reached within the bound; retry after Retry-After'),
  },
};

const devicePaths = {
  '/api/devices': {
    post: {
      summary: 'Register a device (FCM registration token) for push reminders; registering again changes nothing',
      operationId: 'registerDevice',
      tags: ['notifications'],
      requestBody: { required: true, ...json('RegisterDeviceBody') },
      responses: {
        '201': { description: 'The device is registered to the caller (a token registered by another user moves to the caller)', ...json('Device') },
        '400': problemResponse('Invalid body; `errors` lists each field'),
        '401': problemResponse('Missing, malformed or expired token'),
      },
    },
  },
  '/api/devices/{token}': {
    delete: {
      summary: 'Stop push reminders to a device',
      operationId: 'removeDevice',
      tags: ['notifications'],
      parameters: [{ name: 'token', in: 'path', required: true, schema: { type: 'string', minLength: 1, maxLength: 4096 } }],
      responses: {
        '204': { description: 'Removed' },
        '401': problemResponse('Missing, malformed or expired token'),
        '404': problemResponse('The token is not registered to the caller'),
      },
    },
  },
};

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
    TaskHistoryPage, TaskHistoryEvent, EventMetadataView, TaskAsOf,
    TaskCreatedPayload, TaskUpdatedPayload, TaskCompletedPayload, TaskReopenedPayload, TaskDeletedPayload,
    TaskOccurrences, Occurrence,
    AuditPage, AuditEntry, AuditFields, AuditAction,
    NotificationPage, Notification, NotificationDelivery, RegisterDeviceBody, Device,
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
    tags: [
      { name: 'commands', description: 'Change tasks: each appends events and answers {task_id, version, position}' },
      { name: 'history', description: 'A task\'s events, and the task as it was at a version or an instant (folded from its events)' },
      { name: 'recurrence', description: 'Recurring tasks: completing one creates the next task of its series; preview the next dues' },
      { name: 'audit', description: 'Who did what to which task: one entry per task event, with the changed fields before and after' },
      { name: 'notifications', description: 'Reminders: what fired and how it went out (email, push, or the log without credentials); push devices' },
    ],
    paths: {
      '/api/tasks': { post: command('Create a task', 'createTask', '201', 'CreateTaskBody') },
      '/api/tasks/{id}': {
        patch: command('Update a task (absent fields stay, null clears)', 'updateTask', '200', 'UpdateTaskBody'),
        delete: command('Delete a task (reopen restores it)', 'deleteTask'),
      },
      '/api/tasks/{id}/complete': { post: command('Complete a task', 'completeTask') },
      '/api/tasks/{id}/reopen': { post: command('Reopen a completed or deleted task', 'reopenTask') },
      '/api/tasks/{id}/history': {
        get: historyQuery('The task\'s events in version order, paged', 'getTaskHistory', [
          {
            name: 'limit', in: 'query', required: false,
            schema: { type: 'integer', minimum: 1, maximum: MAX_HISTORY_PAGE_SIZE, default: DEFAULT_HISTORY_PAGE_SIZE },
          },
          { name: 'cursor', in: 'query', required: false, schema: { type: 'string' }, description: 'Opaque: `next_cursor` of the previous page' },
        ], 'TaskHistoryPage', 'No such task (or another user\'s)'),
      },
      '/api/tasks/{id}/state': {
        get: historyQuery('The task as it was: folded from its events up to a version or an instant', 'getTaskState', [
          {
            name: 'version', in: 'query', required: false, schema: { type: 'integer', minimum: 0 },
            description: 'Fold events 1..version; beyond the last version the latest state answers. Exactly one of version and at',
          },
          {
            name: 'at', in: 'query', required: false, schema: { type: 'string', format: 'date-time' },
            description: 'ISO 8601 instant with offset: fold the events the store recorded at or before it. Exactly one of version and at',
          },
        ], 'TaskAsOf', 'No such task (or another user\'s), or it did not exist yet at that point'),
      },
      '/api/tasks/{id}/occurrences': { get: occurrencesQuery },
      '/api/audit': { get: auditQuery },
      '/api/notifications': { get: notificationsQuery },
      ...devicePaths,
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
