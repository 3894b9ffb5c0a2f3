import { z } from 'zod';
import { MinPosition } from './queries.ts';
import type { Task as DomainTask } from '../domain/task/types.ts';
import { EDITABLE_FIELDS } from '../domain/task/fields.ts';
import { InstantInRange as instant, STORED_FIELDS, Task, TaskId } from './task.ts';

/* The audit log on the wire: who did what to which task, with the fields before and after. */

/** The words of the task event types, one concept one name: TaskCompleted is `completed`. */
export const AUDIT_ACTIONS = ['created', 'updated', 'completed', 'reopened', 'deleted'] as const;
export const AuditAction = z.enum(AUDIT_ACTIONS).meta({ id: 'AuditAction' });
export type AuditAction = z.infer<typeof AuditAction>;

export const MAX_AUDIT_PAGE_SIZE = 200;
export const DEFAULT_AUDIT_PAGE_SIZE = 50;


export const AuditQuery = z
  .strictObject({
    task_id: z.uuid().optional().describe('Only this task\'s entries'),
    action: AuditAction.optional(),
    from: instant.optional().describe('occurred_at ≥ this instant (ISO 8601 with offset)'),
    to: instant.optional().describe('occurred_at < this instant (ISO 8601 with offset)'),
    user_id: z.string().min(1).max(200).optional()
      .describe('Whose tasks: the caller\'s own by default; another user\'s only with the admin role'),
    limit: z.coerce.number().int().min(1).max(MAX_AUDIT_PAGE_SIZE).default(DEFAULT_AUDIT_PAGE_SIZE),
    cursor: z.string().min(1).max(200).optional().describe('Opaque: the `next_cursor` of the previous page'),
    min_position: MinPosition.optional()
      .describe('Wait until the audit log has this position (read your writes)'),
  })
  .superRefine((query, ctx) => {
    if (query.from !== undefined && query.to !== undefined && query.to <= query.from) {
      ctx.addIssue({ code: 'custom', path: ['to'], message: 'must be later than from' });
    }
  });
export type AuditQuery = z.output<typeof AuditQuery>;

/**
 * The task fields an entry reports. A creation reports all of them (after only); every other action only
 * those it changed, before and after. `updated_at` and `version` change with every event and are left out.
 */
export const AUDITED_FIELDS = [
  ...EDITABLE_FIELDS, 'status', 'series_id', 'occurrence', 'completed_at', 'deleted_at',
] as const satisfies readonly (keyof DomainTask)[];
export type AuditedField = (typeof AUDITED_FIELDS)[number];
/** Some of the audited fields with their values, as the domain holds them. */
export type AuditFieldValues = Partial<Pick<DomainTask, AuditedField>>;

// The task's own field schemas, plus the two the public Task leaves out.
export const AuditFields = z
  .strictObject({ ...STORED_FIELDS, status: Task.shape.status, series_id: Task.shape.series_id, completed_at: Task.shape.completed_at })
  .extend({ occurrence: z.int().min(0), deleted_at: z.iso.datetime().nullable() })
  .partial()
  .meta({ id: 'AuditFields' }) satisfies z.ZodType<AuditFieldValues>;

export const AuditEntry = z
  .strictObject({
    event_id: z.uuid().describe('The event this entry records; unique'),
    position: z.int().min(1).describe('Global log position of the event'),
    task_id: TaskId,
    owner_id: z.string().describe('The user the task belongs to'),
    actor_id: z.string().describe('The user whose command caused the event'),
    action: AuditAction,
    before: AuditFields.nullable().describe('null for created; otherwise the changed fields as they were'),
    after: AuditFields.describe('All fields for created; otherwise the changed fields as they became'),
    occurred_at: z.iso.datetime().describe('When the store recorded the event'),
    correlation_id: z.string(),
  })
  .meta({ id: 'AuditEntry' });
export type AuditEntry = z.infer<typeof AuditEntry>;

export const AuditPage = z
  .strictObject({
    items: z.array(AuditEntry).describe('Newest first (by log position)'),
    next_cursor: z.string().nullable().describe('null on the last page'),
  })
  .meta({ id: 'AuditPage' });
export type AuditPage = z.infer<typeof AuditPage>;
