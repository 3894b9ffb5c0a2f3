/**
 * The task model. Data shapes use the wire spelling (snake_case) because event payloads are a persisted,
 * public contract: the same names appear in the store, on the bus, in the API and in the read models.
 */

export const PRIORITIES = ['none', 'low', 'medium', 'high', 'urgent'] as const;
export type Priority = (typeof PRIORITIES)[number];

export const CHANNELS = ['email', 'push'] as const;
export type Channel = (typeof CHANNELS)[number];

/** A calendar date, or a wall-clock date-time in an IANA zone (no offset: the zone decides it). */
export type Due =
  | { readonly date: string } // YYYY-MM-DD
  | { readonly datetime: string; readonly timezone: string }; // YYYY-MM-DDTHH:MM[:SS], IANA zone

export type Reminder =
  | { readonly before_minutes: number; readonly channels: readonly Channel[] }
  | { readonly at: string; readonly channels: readonly Channel[] }; // ISO 8601 instant with offset

export const ANCHORS = ['due', 'completion'] as const;
export type Anchor = (typeof ANCHORS)[number];

export type Recurrence = { readonly rrule: string; readonly anchor: Anchor };

/**
 * The fields a user edits, as the domain holds them. Their rules (empty value, stored spelling,
 * validation) are in fields.ts, typed against this interface; their wire schemas in contracts/task-fields.ts
 * and their read-model columns in contracts/read-models/task-view-row.ts are typed the same way, so a field
 * added here is a compile error in each place that must say something about it.
 */
export interface TaskFields {
  readonly title: string;
  readonly description: string | null;
  readonly priority: Priority;
  readonly tags: readonly string[];
  readonly due: Due | null;
  readonly reminders: readonly Reminder[];
  readonly recurrence: Recurrence | null;
  /** How long the task should take, in minutes; null when not estimated. */
  readonly estimate_minutes: number | null;
}

export interface Task extends TaskFields {
  readonly id: string;
  readonly user_id: string;
  readonly status: 'open' | 'completed';
  readonly series_id: string | null;
  /** Index of this task in its recurring series: 0 for the first. */
  readonly occurrence: number;
  readonly created_at: string;
  readonly updated_at: string;
  readonly completed_at: string | null;
  readonly deleted_at: string | null;
  readonly version: number;
}

/** The state a decision is made on: nothing yet, or the task folded from its stream. */
export type TaskState = { readonly kind: 'absent'; readonly version: 0 } | { readonly kind: 'present'; readonly task: Task };

// ---- commands: time, ids and the actor come in from outside; the domain never reads a clock ----

interface CommandBase {
  readonly task_id: string;
  readonly user_id: string;
  /** ISO 8601 instant of the command. */
  readonly now: string;
}

export interface CreateTask extends CommandBase {
  readonly type: 'CreateTask';
  /** The title, and any other field; one left out takes its empty value. */
  readonly fields: Pick<TaskFields, 'title'> & Partial<TaskFields>;
  /** Set when the task is an occurrence of a recurring series. */
  readonly series?: { readonly series_id: string; readonly occurrence: number };
}

export interface UpdateTask extends CommandBase {
  readonly type: 'UpdateTask';
  /** Only the fields to change; null clears a clearable field. */
  readonly changes: Partial<TaskFields>;
}

export interface CompleteTask extends CommandBase { readonly type: 'CompleteTask' }
export interface ReopenTask extends CommandBase { readonly type: 'ReopenTask' }
export interface DeleteTask extends CommandBase { readonly type: 'DeleteTask' }

export type TaskCommand = CreateTask | UpdateTask | CompleteTask | ReopenTask | DeleteTask;

// ---- events (payloads; the store adds id, stream, version, position, metadata) ----

export interface TaskCreated {
  readonly type: 'TaskCreated';
  readonly data: TaskFields & {
    readonly task_id: string;
    readonly user_id: string;
    readonly series_id: string | null;
    readonly occurrence: number;
    readonly created_at: string;
  };
}
export interface TaskUpdated {
  readonly type: 'TaskUpdated';
  readonly data: { readonly task_id: string; readonly changes: Partial<TaskFields>; readonly updated_at: string };
}
export interface TaskCompleted {
  readonly type: 'TaskCompleted';
  readonly data: { readonly task_id: string; readonly completed_at: string };
}
export interface TaskReopened {
  readonly type: 'TaskReopened';
  readonly data: { readonly task_id: string; readonly reopened_at: string };
}
export interface TaskDeleted {
  readonly type: 'TaskDeleted';
  readonly data: { readonly task_id: string; readonly deleted_at: string };
}

export type TaskEvent = TaskCreated | TaskUpdated | TaskCompleted | TaskReopened | TaskDeleted;
export type TaskEventType = TaskEvent['type'];
export const TASK_EVENT_TYPES: readonly TaskEventType[] = [
  'TaskCreated', 'TaskUpdated', 'TaskCompleted', 'TaskReopened', 'TaskDeleted',
];

// ---- errors ----

export interface FieldError { readonly path: string; readonly message: string }

export type DomainError =
  | { readonly code: 'not_found'; readonly task_id: string }
  | { readonly code: 'already_exists'; readonly task_id: string }
  | { readonly code: 'validation'; readonly errors: readonly FieldError[] };
