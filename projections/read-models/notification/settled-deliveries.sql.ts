import type { ReminderDeliverySettled } from '../../../contracts/events/reminder-delivery-settled.ts';
import type { Queryable } from '../../../contracts/ports/sql.ts';

/**
 * Brings the delivery records in line with the settlements in the log: a record that is missing (the
 * database was restored from the log, or the table lost) is written as settled, so the scheduler finds it
 * and never sends it again; a record still on its way is settled. A record settled already keeps its
 * outcome (a real one that replaced the reaper's guess is newer than the log's).
 */
export async function restoreSettledDeliveries(tx: Queryable, settled: readonly ReminderDeliverySettled[]): Promise<void> {
  if (settled.length === 0) return;
  await tx.query(
    `INSERT INTO notification_deliveries (task_id, reminder_index, fire_at, channel, user_id, status, delivered_via, attempts, last_error,
                                          late, next_attempt_at, sent_at, updated_at)
     SELECT task_id, reminder_index, fire_at, channel, user_id, status, delivered_via, attempts, last_error, late, fire_at, sent_at, settled_at
       FROM jsonb_to_recordset($1::jsonb) AS r (task_id uuid, reminder_index integer, fire_at timestamptz, channel text, user_id text,
            status text, delivered_via text, attempts integer, last_error text, late boolean, sent_at timestamptz, settled_at timestamptz)
     ON CONFLICT (task_id, reminder_index, fire_at, channel) DO UPDATE
        SET status = excluded.status, delivered_via = excluded.delivered_via, attempts = excluded.attempts, last_error = excluded.last_error,
            late = excluded.late, sent_at = excluded.sent_at, updated_at = excluded.updated_at
      WHERE notification_deliveries.status IN ('due', 'sending', 'retrying', 'cancelled')`,
    [JSON.stringify(settled)],
  );
}
