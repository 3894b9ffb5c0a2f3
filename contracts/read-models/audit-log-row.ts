import type { z } from 'zod';
import type { AuditAction, AuditFieldValues, AuditFields } from '../audit.ts';

/*
 * The audit log as projections/read-models/audit writes it and read-api/audit queries it: the view's name and the
 * shape of its rows.
 */

/** The view every audit query reads; it points at the projection's active versioned table. */
export const AUDIT_LOG_VIEW = 'audit_log';

/** One entry as the projector writes it (times as ISO strings). */
export interface AuditRecord {
  readonly event_id: string;
  readonly position: number;
  readonly task_id: string;
  readonly owner_id: string;
  readonly actor_id: string;
  readonly action: AuditAction;
  readonly before: AuditFieldValues | null;
  readonly after: AuditFieldValues;
  readonly occurred_at: string;
  readonly correlation_id: string;
}

/** An audit_log row as SELECT returns it: the jsonb fields come back as they went in, in wire shape. */
export interface AuditRow {
  event_id: string;
  position: number;
  task_id: string;
  owner_id: string;
  actor_id: string;
  action: AuditAction;
  before: z.infer<typeof AuditFields> | null;
  after: z.infer<typeof AuditFields>;
  occurred_at: Date;
  correlation_id: string;
}

/** The columns of an entry, for SELECTs (position as a JS number: positions stay below 2^53). */
export const AUDIT_ROW_COLUMNS = `event_id, position::float8 AS position, task_id, owner_id, actor_id, action, before, after,
  occurred_at, correlation_id`;
