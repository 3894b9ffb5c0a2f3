import { Counter, type Registry } from 'prom-client';
import type { Logger } from 'pino';
import type { ReminderObserver, ReminderRef } from '../projections/read-models/notification/run-due-reminders.ts';

/** The trace fields at the top of the line, where every other service's lines have them. */
function traced<R extends ReminderRef>(reminder: R): { trace_id?: string; span_id?: string; reminder: Omit<R, 'trace_id' | 'span_id'> } {
  const { trace_id, span_id, ...rest } = reminder;
  return { ...(trace_id ? { trace_id } : {}), ...(span_id ? { span_id } : {}), reminder: rest };
}

/**
 * Reminder metrics and logs. `notifications_sent_total` is labelled with the channel a reminder actually
 * went out on (email, push, or log when a channel has no credentials), so a log delivery never counts as
 * an email; the others are labelled with the channel the reminder asked for.
 */
export function reminderMetrics(registry: Registry, logger: Logger): ReminderObserver {
  const sent = new Counter({
    name: 'notifications_sent_total', help: 'Reminders delivered, by the channel they went out on (email, push, log)',
    labelNames: ['channel'] as const, registers: [registry],
  });
  const due = new Counter({
    name: 'reminders_due_total', help: 'Reminder deliveries that came due and were tried, by requested channel',
    labelNames: ['channel'] as const, registers: [registry],
  });
  const failed = new Counter({
    name: 'reminders_failed_total', help: 'Failed reminder sends, by requested channel; final="false" ones are retried',
    labelNames: ['channel', 'final'] as const, registers: [registry],
  });
  const missed = new Counter({
    name: 'reminders_missed_total', help: 'Reminders found too late to send (older than REMINDER_MAX_LATENESS_MINUTES)',
    labelNames: ['channel'] as const, registers: [registry],
  });
  const cancelled = new Counter({
    name: 'reminders_cancelled_total', help: 'Reminder deliveries cancelled before they went out (task completed, deleted or rescheduled)',
    labelNames: ['channel'] as const, registers: [registry],
  });
  const behind = new Counter({
    name: 'reminders_schedule_behind_total', help: 'Scheduler passes skipped because the schedule had not caught up with the log',
    registers: [registry],
  });

  return {
    due: (channel) => due.inc({ channel }),
    sent(channel, via, reminder) {
      sent.inc({ channel: via });
      logger.info(traced({ ...reminder, channel, delivered_via: via }), reminder.late ? 'reminder sent late' : 'reminder sent');
    },
    failed(channel, reminder) {
      failed.inc({ channel, final: String(!reminder.retrying) });
      logger.warn(traced({ ...reminder, channel }), reminder.retrying ? 'reminder send failed; will retry' : 'reminder send failed');
    },
    missed(channel, reminder) {
      missed.inc({ channel });
      logger.warn(traced({ ...reminder, channel }), 'reminder missed: too old to send');
    },
    cancelled: (channel) => cancelled.inc({ channel }),
    scheduleBehind() {
      behind.inc();
      logger.debug('reminder pass skipped: the schedule is behind the log');
    },
  };
}
