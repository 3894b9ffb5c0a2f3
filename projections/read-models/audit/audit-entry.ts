import { AUDITED_FIELDS, type AuditAction, type AuditedField, type AuditFieldValues } from '../../../contracts/audit.ts';
import type { StoredEvent } from '../../../contracts/events/stored-event.ts';
import type { AuditRecord } from '../../../contracts/read-models/audit-log-row.ts';
import { assertNever } from '../../../domain/common/result.ts';
import { jsonEqual } from '../../../domain/common/json-equal.ts';
import type { Task, TaskEventType } from '../../../domain/task/types.ts';

export function auditAction(type: TaskEventType): AuditAction {
  switch (type) {
    case 'TaskCreated': return 'created';
    case 'TaskUpdated': return 'updated';
    case 'TaskCompleted': return 'completed';
    case 'TaskReopened': return 'reopened';
    case 'TaskDeleted': return 'deleted';
    default: return assertNever(type);
  }
}

function pick(task: Task, fields: readonly AuditedField[]): AuditFieldValues {
  const values: { -readonly [F in AuditedField]?: Task[F] } = {};
  const copy = <F extends AuditedField>(field: F) => { values[field] = task[field]; };
  for (const field of fields) copy(field);
  return values;
}

/**
 * What an event changed, as one rule for every action: the audited fields whose values differ between the
 * task before and after it. A creation has no before, so it reports every field as after.
 */
export function changedFields(before: Task | null, after: Task): { before: AuditFieldValues | null; after: AuditFieldValues } {
  if (!before) return { before: null, after: pick(after, AUDITED_FIELDS) };
  const changed = AUDITED_FIELDS.filter((field) => !jsonEqual(before[field], after[field]));
  return { before: pick(before, changed), after: pick(after, changed) };
}

/** The entry for one stored event, given the task as the projection knew it before and after the event. */
export function auditRecord(event: StoredEvent, type: TaskEventType, before: Task | null, after: Task): AuditRecord {
  const action = auditAction(type);
  const fields = changedFields(action === 'created' ? null : before, after);
  return {
    event_id: event.event_id,
    position: event.position,
    task_id: event.stream_id,
    owner_id: after.user_id,
    actor_id: event.metadata.user_id,
    action,
    before: fields.before,
    after: fields.after,
    occurred_at: event.created_at,
    correlation_id: event.metadata.correlation_id,
  };
}
