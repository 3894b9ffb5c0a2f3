import type { Logger } from 'pino';
import type { StoredEvent } from '../../../contracts/events/stored-event.ts';
import type { ScheduledReminder } from '../../../contracts/read-models/notification-schedule.ts';
import { eventTraceFields } from '../../../contracts/trace-context.ts';

const armedKeys = (rows: readonly ScheduledReminder[]): string[] =>
  rows.filter((row) => row.state === 'armed').map((row) => `${row.reminder_index}@${row.fire_at}`).sort();

/**
 * An info line when an event changed which reminders of a task will fire — a side effect a user will
 * notice (an email, a push), so an operator sees it under the trace id of the change that caused it.
 * Changes that leave the armed set as it was (a new title, say) say nothing. Logged as planned, inside
 * the batch: a batch retried after a failure logs its plan again.
 */
export function logScheduleChange(logger: Logger, before: readonly ScheduledReminder[], after: readonly ScheduledReminder[], cause: StoredEvent): void {
  const was = armedKeys(before);
  const now = armedKeys(after);
  if (was.length === now.length && was.every((key, i) => key === now[i])) return;
  const next = after.filter((row) => row.state === 'armed').map((row) => row.fire_at).sort()[0] ?? null;
  logger.info({
    task_id: cause.stream_id, version: cause.version, event_id: cause.event_id, armed: now.length, was_armed: was.length, next_fire_at: next,
    ...eventTraceFields(cause.metadata.traceparent),
  }, now.length === 0 ? 'reminders cancelled' : 'reminders scheduled');
}
