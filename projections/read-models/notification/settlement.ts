import type { ReminderDeliverySettled } from '../../../contracts/events/reminder-delivery-settled.ts';
import type { Channel } from '../../../domain/task/types.ts';
import { assertNever } from '../../../domain/common/result.ts';
import type { Outcome } from './delivery-policy.ts';

interface DeliveryOf {
  readonly task_id: string;
  readonly reminder_index: number;
  readonly fire_at: Date;
  readonly channel: Channel;
  readonly user_id: string;
}

/** The settlement the log records for an outcome that is final; null for one that is not (a retry is due). */
export function settlementOf(delivery: DeliveryOf, attempts: number, outcome: Outcome, now: Date): ReminderDeliverySettled | null {
  const common = {
    task_id: delivery.task_id, reminder_index: delivery.reminder_index, fire_at: delivery.fire_at.toISOString(), channel: delivery.channel,
    user_id: delivery.user_id, attempts, settled_at: now.toISOString(),
  };
  switch (outcome.status) {
    case 'sent':
      return { ...common, status: 'sent', delivered_via: outcome.delivered_via, late: outcome.late, last_error: null, sent_at: outcome.sent_at.toISOString() };
    case 'failed':
    case 'missed':
      return { ...common, status: outcome.status, delivered_via: null, late: false, last_error: outcome.last_error, sent_at: null };
    case 'retrying':
      return null;
    default:
      return assertNever(outcome);
  }
}
