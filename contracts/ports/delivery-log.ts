import type { ReminderDeliverySettled } from '../events/reminder-delivery-settled.ts';
import type { Queryable } from './sql.ts';

/** Where the notification scheduler records, in the log, what became of each delivery. */
export interface DeliveryLog {
  /**
   * Appends the settlement to the delivery's own stream, inside the caller's transaction (the one that
   * records it in notification_deliveries). The stream must not exist yet: a settlement recorded already
   * (a retried pass, another scheduler) appends nothing, so the log never holds a delivery twice.
   */
  recordSettled(tx: Queryable, settled: ReminderDeliverySettled, traceparent: string | null): Promise<void>;
  /** After the transaction committed: wakes the log readers (the schedule's projector among them). */
  announce(): void;
}
