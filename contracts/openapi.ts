import { z } from 'zod';
import { AuditAction, AuditEntry, AuditFields, AuditPage } from './audit.ts';
import { CommandAccepted, CreateTaskBody, UpdateTaskBody } from './commands.ts';
import { Device, RegisterDeviceBody } from './devices.ts';
import {
  TASK_EVENT_PAYLOADS, TaskCompletedPayload, TaskCreatedPayload, TaskDeletedPayload, TaskReopenedPayload, TaskUpdatedPayload,
} from './events/task-events.ts';
import { TaskCloudEvent } from './events/cloudevent.ts';
import { EventMetadataView, TaskAsOf, TaskHistoryEvent, TaskHistoryPage } from './history.ts';
import type { ResponseDocumentation, RouteDocumentation } from './http-route.ts';
import { AuthenticateFrame, ReadyFrame, ResetFrame, ResumeFrame, TaskChangedFrame } from './live.ts';
import { Notification, NotificationDelivery, NotificationPage } from './notifications.ts';
import { FieldError, Problem } from './problem.ts';
import { Occurrence, TaskOccurrences } from './recurrence.ts';
import { Channel, Due, DueInput, Priority, Recurrence, Reminder, ReminderInput, Task, TaskId } from './task.ts';

/*
 * The OpenAPI 3.1 document, rendered from the declarations of the routes a server registered (app/http
 * collects them). Every schema in it is the zod schema the route parses with, converted by zod itself.
 */

/** One registered route as the document shows it. */
export interface DocumentedOperation {
  readonly method: string;
  /** fastify's form: `/api/tasks/:id`. */
  readonly url: string;
  /** False for the routes anyone may call (service endpoints, the document itself). */
  readonly secured: boolean;
  readonly documentation: RouteDocumentation;
}

/**
 * The shapes a client names, in a stable order, whether or not an operation refers to them: the event
 * payloads are what the history and the bus carry, the frames what the live feed's WebSocket carries.
 */
const COMPONENTS = [
  CreateTaskBody, UpdateTaskBody, CommandAccepted, Task, TaskId, Priority, Channel, Due, DueInput, Reminder, ReminderInput, Recurrence, Problem, FieldError,
  TaskHistoryPage, TaskHistoryEvent, EventMetadataView, TaskAsOf,
  TaskCreatedPayload, TaskUpdatedPayload, TaskCompletedPayload, TaskReopenedPayload, TaskDeletedPayload,
  TaskOccurrences, Occurrence,
  AuditPage, AuditEntry, AuditFields, AuditAction,
  NotificationPage, Notification, NotificationDelivery, RegisterDeviceBody, Device,
  ReadyFrame, TaskChangedFrame, ResetFrame, ResumeFrame, AuthenticateFrame,
];

const JSON_CONTENT_TYPE = 'application/json';
const COMPONENT_REF = '#/components/schemas/';
/** Where zod puts a schema with an id that is not among the registered ones; hoisted into components. */
const SHARED = '__shared';

type JsonSchema = Record<string, unknown>;

const isObject = (value: unknown): value is JsonSchema => typeof value === 'object' && value !== null && !Array.isArray(value);

function componentId(schema: z.ZodType): string | undefined {
  const id = schema.meta()?.id;
  return typeof id === 'string' ? id : undefined;
}

/** Refs into zod's shared definitions become refs to the components they are hoisted to. */
function rewriteSharedRefs(schema: JsonSchema): JsonSchema {
  const rewrite = (value: unknown): unknown =>
    Array.isArray(value) ? value.map(rewrite) : isObject(value) ? rewriteSharedRefs(value) : value;
  return Object.fromEntries(Object.entries(schema).map(([key, child]) => [
    key,
    key === '$ref' && typeof child === 'string' ? child.replace(`${COMPONENT_REF}${SHARED}#/$defs/`, COMPONENT_REF) : rewrite(child),
  ]));
}

/**
 * Converts every schema of the document in one pass, so that a shape with an id (`.meta({ id })`) is one
 * component that every use refers to. Inputs are described as clients send them (`io: 'input'`): a
 * coerced number is a number, a defaulted field is optional.
 */
class SchemaCatalogue {
  private readonly registry = z.registry<{ id: string }>();
  private readonly ids = new Map<z.ZodType, string>();
  private readonly inline = new Set<string>();
  private conversion: Record<string, JsonSchema> | null = null;

  constructor(components: readonly z.ZodType[]) {
    for (const schema of components) this.add(schema, true);
  }

  /**
   * Names a schema; `asComponent` keeps one with an id under that id, otherwise it is written inline where
   * used. The first use decides.
   */
  add(schema: z.ZodType, asComponent: boolean): string {
    const known = this.ids.get(schema);
    if (known !== undefined) return known;
    const id = asComponent ? componentId(schema) : undefined;
    const name = id ?? `__inline${this.ids.size}`;
    if (id === undefined) this.inline.add(name);
    this.ids.set(schema, name);
    this.registry.add(schema, { id: name });
    this.conversion = null;
    return name;
  }

  private all(): Record<string, JsonSchema> {
    if (this.conversion) return this.conversion;
    const generated = z.toJSONSchema(this.registry, {
      target: 'draft-2020-12', io: 'input', uri: (id) => `${COMPONENT_REF}${id}`,
      // A z.custom (the domain task inside a task-updates message) is written as "any value".
      unrepresentable: 'any',
    });
    const schemas: Record<string, JsonSchema> = {};
    for (const [id, { $schema: _schema, $id: _id, ...schema }] of Object.entries(generated.schemas)) {
      if (id === SHARED) {
        const defs = isObject(schema['$defs']) ? schema['$defs'] : {};
        for (const [sharedId, shared] of Object.entries(defs)) if (isObject(shared)) schemas[sharedId] = shared;
      } else {
        schemas[id] = schema;
      }
    }
    const converted = Object.fromEntries(Object.entries(schemas).map(([id, schema]) => [id, rewriteSharedRefs(schema)]));
    for (const id of this.inline) {
      if (JSON.stringify(converted).includes(`"${COMPONENT_REF}${id}"`)) throw new Error(`schema ${id} is used inside another; give it an id with .meta({ id })`);
    }
    this.conversion = converted;
    return converted;
  }

  /** The schema as the document writes it: a ref to its component, or the schema itself. */
  use(schema: z.ZodType, asComponent: boolean): JsonSchema {
    const name = this.add(schema, asComponent);
    return this.inline.has(name) ? this.converted(name) : { $ref: `${COMPONENT_REF}${name}` };
  }

  private converted(name: string): JsonSchema {
    const converted = this.all()[name];
    if (!converted) throw new Error(`schema ${name} was not converted`);
    return converted;
  }

  /** An object schema written out, to be listed property by property (parameters). */
  resolve(schema: z.ZodType): JsonSchema {
    return this.converted(this.add(schema, false));
  }

  components(): Record<string, JsonSchema> {
    return Object.fromEntries(Object.entries(this.all()).filter(([id]) => !this.inline.has(id)));
  }
}

const IRREGULAR_HEADER_NAMES: Readonly<Record<string, string>> = {
  etag: 'ETag', 'www-authenticate': 'WWW-Authenticate', 'sec-websocket-protocol': 'Sec-WebSocket-Protocol',
};

/** `if-match` → `If-Match`: header names as the RFCs spell them. */
const headerName = (name: string) =>
  IRREGULAR_HEADER_NAMES[name] ?? name.replace(/(^|-)([a-z])/g, (_match, dash: string, letter: string) => `${dash}${letter.toUpperCase()}`);

function parametersOf(catalogue: SchemaCatalogue, where: 'path' | 'query' | 'header', schema: z.ZodType | undefined): JsonSchema[] {
  if (!schema) return [];
  const object = catalogue.resolve(schema);
  const properties = object['properties'];
  if (object['type'] !== 'object' || !isObject(properties)) throw new Error(`the ${where} parameters must be an object schema`);
  const required = new Set(Array.isArray(object['required']) ? object['required'] : []);
  return Object.entries(properties).map(([name, property]) => {
    const { description, ...propertySchema } = isObject(property) ? property : {};
    return {
      name: where === 'header' ? headerName(name) : name,
      in: where,
      required: where === 'path' || required.has(name),
      ...(typeof description === 'string' ? { description } : {}),
      schema: propertySchema,
    };
  });
}

function responseOf(catalogue: SchemaCatalogue, response: ResponseDocumentation): JsonSchema {
  const headers = Object.entries(response.headers ?? {}).map(([name, header]) => [
    headerName(name.toLowerCase()),
    { description: header.description, schema: catalogue.use(header.schema, false) },
  ]);
  return {
    description: response.description,
    ...(headers.length > 0 ? { headers: Object.fromEntries(headers) } : {}),
    ...(response.schema ? { content: { [response.contentType ?? JSON_CONTENT_TYPE]: { schema: catalogue.use(response.schema, true) } } } : {}),
    ...(response.links ? { links: { ...response.links } } : {}),
  };
}

function operationOf(catalogue: SchemaCatalogue, { documentation: doc, secured }: DocumentedOperation): JsonSchema {
  const parameters = [
    ...parametersOf(catalogue, 'path', doc.params),
    ...parametersOf(catalogue, 'query', doc.query),
    ...parametersOf(catalogue, 'header', doc.headers),
  ];
  const statuses = Object.keys(doc.responses).map(Number).sort((a, b) => a - b);
  return {
    summary: doc.summary,
    ...(doc.description ? { description: doc.description } : {}),
    operationId: doc.operationId,
    tags: [...doc.tags],
    ...(secured ? {} : { security: [] }),
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(doc.body
      ? { requestBody: { required: !doc.body.safeParse(undefined).success, content: { [doc.bodyContentType ?? JSON_CONTENT_TYPE]: { schema: catalogue.use(doc.body, true) } } } }
      : {}),
    responses: Object.fromEntries(statuses.map((status) => {
      const response = doc.responses[status];
      if (!response) throw new Error(`no response ${status}`);
      return [String(status), responseOf(catalogue, response)];
    })),
  };
}

/** `/api/tasks/:id` → `/api/tasks/{id}`. */
export const openApiPath = (url: string): string => url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

export function buildOpenApiDocument(operations: readonly DocumentedOperation[]): Record<string, unknown> {
  const catalogue = new SchemaCatalogue(COMPONENTS);
  // Every schema is named before the first conversion, so one pass covers the whole document.
  for (const { documentation: doc } of operations) {
    for (const part of [doc.params, doc.query, doc.headers]) if (part) catalogue.add(part, false);
    if (doc.body) catalogue.add(doc.body, true);
    for (const response of Object.values(doc.responses)) {
      if (response.schema) catalogue.add(response.schema, true);
      for (const header of Object.values(response.headers ?? {})) catalogue.add(header.schema, false);
    }
  }
  // A link to an operation the document does not have would send a client (or a fuzzer) nowhere.
  const operationIds = new Set(operations.map((operation) => operation.documentation.operationId));
  for (const { documentation: doc } of operations) {
    for (const response of Object.values(doc.responses)) {
      for (const [name, link] of Object.entries(response.links ?? {})) {
        if (!operationIds.has(link.operationId)) throw new Error(`link ${name} of ${doc.operationId} names no operation: ${link.operationId}`);
      }
    }
  }
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const operation of operations) {
    const path = (paths[openApiPath(operation.url)] ??= {});
    path[operation.method.toLowerCase()] = operationOf(catalogue, operation);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Todo',
      version: '1.0.0',
      description: 'Event-sourced task service. Every change is an event; commands answer a consistency token (`position`). '
        + 'This document is generated from the routes the server registered.',
    },
    servers: [{ url: '/' }],
    security: [{ bearer: [] }],
    tags: [
      { name: 'accounts', description: 'Sign up, sign in and out, sessions, password reset (Better Auth, session cookie), and the JWT of a session for the bearer routes' },
      { name: 'commands', description: 'Change tasks: each appends events and answers {task_id, version, position}' },
      { name: 'tasks', description: 'The task read model: lists with filters, sort and keyset paging, and one task with its ETag' },
      { name: 'history', description: 'A task\'s events, and the task as it was at a version or an instant (folded from its events)' },
      { name: 'recurrence', description: 'Recurring tasks: completing one creates the next task of its series; preview the next dues' },
      { name: 'audit', description: 'Who did what to which task: one entry per task event, with the changed fields before and after' },
      { name: 'notifications', description: 'Reminders: what fired and how it went out (email, push, or the log without credentials); push devices' },
      { name: 'live', description: 'The live feed: a WebSocket of the caller\'s task changes, resumable from a position' },
      { name: 'service', description: 'Liveness, readiness, metrics and this document: no token needed' },
      { name: 'bus', description: 'Dapr pub/sub: the subscription list and the deliveries of the sidecar (TRANSPORT=dapr services only)' },
    ],
    paths,
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      schemas: catalogue.components(),
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
