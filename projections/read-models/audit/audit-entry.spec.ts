import { describe, expect, it } from 'vitest';
import type { StoredEvent } from '../../../contracts/events/stored-event.ts';
import { evolve, fold } from '../../../domain/task/evolve.ts';
import {
  CREATED_AT, LATER, MUCH_LATER, OTHER_USER, TASK_ID, USER, taskCompleted, taskCreated, taskDeleted, taskReopened, taskUpdated,
} from '../../../domain/task/testing/task-fixtures.ts';
import { TASK_EVENT_TYPES, type Task, type TaskEvent } from '../../../domain/task/types.ts';
import { auditAction, auditRecord, changedFields } from './audit-entry.ts';

const taskAfter = (events: readonly TaskEvent[]): Task => {
  const state = fold(events);
  if (state.kind !== 'present') throw new Error('no task');
  return state.task;
};

/** The fields an event changes, given the events before it. */
function changes(given: readonly TaskEvent[], event: TaskEvent) {
  const before = taskAfter(given);
  const after = evolve({ kind: 'present', task: before }, event);
  if (after.kind !== 'present') throw new Error('no task');
  return changedFields(before, after.task);
}

describe('what an audit entry reports', () => {
  it('a creation has no before, and every field after', () => {
    expect(changedFields(null, taskAfter([taskCreated({ title: 'Pay rent', tags: ['home'] })]))).toEqual({
      before: null,
      after: {
        title: 'Pay rent', description: null, status: 'open', priority: 'none', tags: ['home'], due: null, reminders: [],
        recurrence: null, estimate_minutes: null, series_id: null, occurrence: 0, completed_at: null, deleted_at: null,
      },
    });
  });

  it('an update reports only the fields it changed, old and new', () => {
    expect(changes([taskCreated({ tags: ['home'] })], taskUpdated({ priority: 'high', due: { date: '2026-04-01' } }))).toEqual({
      before: { priority: 'none', due: null },
      after: { priority: 'high', due: { date: '2026-04-01' } },
    });
  });

  it('a completion reports status and completed_at', () => {
    expect(changes([taskCreated()], taskCompleted(LATER))).toEqual({
      before: { status: 'open', completed_at: null },
      after: { status: 'completed', completed_at: LATER },
    });
  });

  it('a deletion reports deleted_at', () => {
    expect(changes([taskCreated()], taskDeleted(LATER))).toEqual({ before: { deleted_at: null }, after: { deleted_at: LATER } });
  });

  it('a reopen reports whichever of status, completed_at and deleted_at it restored', () => {
    expect(changes([taskCreated(), taskCompleted(LATER), taskDeleted(LATER)], taskReopened(MUCH_LATER))).toEqual({
      before: { status: 'completed', completed_at: LATER, deleted_at: LATER },
      after: { status: 'open', completed_at: null, deleted_at: null },
    });
    expect(changes([taskCreated(), taskDeleted(LATER)], taskReopened(MUCH_LATER))).toEqual({
      before: { deleted_at: LATER }, after: { deleted_at: null },
    });
  });

  it('does not take a reordering of an object\'s keys (as jsonb stores them) for a change', () => {
    const task = taskAfter([taskCreated({ due: { datetime: '2026-04-01T09:00', timezone: 'Europe/Berlin' } })]);
    const reordered: Task = { ...task, due: { timezone: 'Europe/Berlin', datetime: '2026-04-01T09:00' } };
    expect(changedFields(task, reordered)).toEqual({ before: {}, after: {} });
  });

  it('names each action with the word of its event type', () => {
    expect(TASK_EVENT_TYPES.map(auditAction)).toEqual(['created', 'updated', 'completed', 'reopened', 'deleted']);
  });

  it('files the entry under the task\'s owner, by the actor of the event, at the store\'s time', () => {
    const before = taskAfter([taskCreated()]);
    const after = taskAfter([taskCreated(), taskCompleted(LATER)]);
    const stored: StoredEvent = {
      event_id: '0b5c1a52-3f1e-4d0a-9a57-5a2f0e7e8d11', type: 'TaskCompleted', schema_version: 1, data: taskCompleted(LATER).data,
      metadata: { user_id: OTHER_USER, correlation_id: 'corr-1', causation_id: null, traceparent: null, idempotency_key: null, request_id: null },
      stream_id: TASK_ID, version: 2, position: 17, transaction_id: '900', created_at: CREATED_AT,
    };
    expect(auditRecord(stored, 'TaskCompleted', before, after)).toEqual({
      event_id: stored.event_id, position: 17, task_id: TASK_ID, owner_id: USER, actor_id: OTHER_USER, action: 'completed',
      before: { status: 'open', completed_at: null }, after: { status: 'completed', completed_at: LATER },
      occurred_at: CREATED_AT, correlation_id: 'corr-1',
    });
  });
});
