import type { TaskFields } from './types.ts';

/**
 * A field set with a partial change laid over it: `undefined` (or absence) keeps a field, `null` clears a
 * field that may be empty. Only the editable fields are read, so a stray key in a change never leaks.
 */
export function applyChanges(current: TaskFields, changes: Partial<TaskFields>): TaskFields {
  const keep = <T>(change: T | undefined, value: T): T => (change === undefined ? value : change);
  return {
    title: keep(changes.title, current.title),
    description: keep(changes.description, current.description),
    priority: keep(changes.priority, current.priority),
    tags: keep(changes.tags, current.tags),
    due: keep(changes.due, current.due),
    reminders: keep(changes.reminders, current.reminders),
    recurrence: keep(changes.recurrence, current.recurrence),
  };
}
