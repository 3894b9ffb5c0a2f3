import type { Due, Priority, Reminder, Task, UpdateTaskBody } from '../api/types.ts';
import { browserTimeZone, localInputValue } from './format.ts';
import { fromRecurrence, toRecurrence, type RepeatForm } from './recurrence.ts';

/** The edit form's state: every editable field of a task (docs/architecture.md §6.2) as inputs hold it. */
export interface TaskForm {
  readonly title: string;
  readonly description: string;
  readonly priority: Priority;
  /** Comma-separated. */
  readonly tags: string;
  readonly dueKind: 'none' | 'date' | 'datetime';
  readonly dueDate: string;
  readonly dueDateTime: string;
  readonly timezone: string;
  readonly reminders: readonly ReminderForm[];
  readonly repeat: RepeatForm;
  /** Whole minutes, or empty for none. */
  readonly estimate: string;
}

export interface ReminderForm {
  readonly kind: 'before' | 'at';
  readonly minutes: number;
  /** datetime-local in the browser's zone. */
  readonly at: string;
  readonly email: boolean;
  readonly push: boolean;
}

export const NEW_REMINDER: ReminderForm = { kind: 'before', minutes: 30, at: '', email: true, push: false };

export function formOf(task: Task): TaskForm {
  const due = task.due;
  return {
    title: task.title,
    description: task.description ?? '',
    priority: task.priority,
    tags: task.tags.join(', '),
    dueKind: !due ? 'none' : 'date' in due ? 'date' : 'datetime',
    dueDate: due && 'date' in due ? due.date : '',
    dueDateTime: due && 'datetime' in due ? due.datetime.slice(0, 16) : '',
    timezone: due && 'timezone' in due ? due.timezone : browserTimeZone(),
    reminders: task.reminders.map((reminder) => ({
      kind: 'at' in reminder ? 'at' : 'before',
      minutes: 'before_minutes' in reminder ? reminder.before_minutes : 30,
      at: 'at' in reminder ? localInputValue(new Date(reminder.at)) : '',
      email: (reminder.channels ?? ['email']).includes('email'),
      push: (reminder.channels ?? []).includes('push'),
    })),
    repeat: fromRecurrence(task.recurrence),
    estimate: task.estimate_minutes === null ? '' : String(task.estimate_minutes),
  };
}

/** The schedule the form describes, as GET /occurrences previews it before saving; null when it does not repeat. */
export interface ScheduleQuery {
  readonly rrule: string;
  readonly anchor: 'due' | 'completion';
  readonly due_date?: string;
  readonly due_datetime?: string;
  readonly due_timezone?: string;
}

export function scheduleOf(form: TaskForm): ScheduleQuery | null {
  const recurrence = toRecurrence(form.repeat);
  if (!recurrence) return null;
  const due = dueOf(form);
  const dueQuery = due === null ? {} : 'date' in due ? { due_date: due.date } : { due_datetime: due.datetime, due_timezone: due.timezone };
  return { rrule: recurrence.rrule, anchor: recurrence.anchor ?? 'due', ...dueQuery };
}

function dueOf(form: TaskForm): Due | null {
  if (form.dueKind === 'date' && form.dueDate) return { date: form.dueDate };
  if (form.dueKind === 'datetime' && form.dueDateTime) return { datetime: form.dueDateTime, timezone: form.timezone };
  return null;
}

function reminderOf(form: ReminderForm): Reminder {
  const channels = [...(form.email ? ['email' as const] : []), ...(form.push ? ['push' as const] : [])];
  const chosen = channels.length > 0 ? channels : ['email' as const];
  return form.kind === 'at' ? { at: new Date(form.at).toISOString(), channels: chosen } : { before_minutes: form.minutes, channels: chosen };
}

/** JSON with sorted keys and wall times without a :00 second, so equal values compare equal whatever the server's key order. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) => {
    if (typeof inner === 'string' && /^\d{4}-\d\d-\d\dT\d\d:\d\d:00$/.test(inner)) return inner.slice(0, 16);
    if (inner === null || typeof inner !== 'object' || Array.isArray(inner)) return inner;
    return Object.fromEntries(Object.entries(inner).sort(([a], [b]) => a.localeCompare(b)));
  });
}

const same = (a: unknown, b: unknown) => canonical(a) === canonical(b);

/** The PATCH body: only the fields the form changed, `null` for a cleared one. */
export function changes(task: Task, form: TaskForm): UpdateTaskBody {
  const body: { -readonly [K in keyof UpdateTaskBody]: UpdateTaskBody[K] } = {};
  if (form.title.trim() !== task.title) body.title = form.title.trim();
  const description = form.description.trim() ? form.description : null;
  if (description !== task.description) body.description = description;
  if (form.priority !== task.priority) body.priority = form.priority;
  const tags = [...new Set(form.tags.split(',').map((tag) => tag.trim().toLowerCase()).filter(Boolean))];
  if (!same(tags, task.tags)) body.tags = tags;
  const due = dueOf(form);
  if (!same(due, task.due)) body.due = due;
  const reminders = form.reminders.filter((r) => r.kind === 'before' || r.at).map(reminderOf);
  if (!same(reminders, task.reminders.map((r) => ({ ...r, channels: r.channels ?? ['email'] })))) body.reminders = reminders;
  const recurrence = toRecurrence(form.repeat);
  if (!same(recurrence, task.recurrence ? { rrule: task.recurrence.rrule, anchor: task.recurrence.anchor ?? 'due' } : null)) body.recurrence = recurrence;
  const estimate = form.estimate.trim() ? Number(form.estimate) : null;
  if (estimate !== task.estimate_minutes) body.estimate_minutes = estimate;
  return body;
}
