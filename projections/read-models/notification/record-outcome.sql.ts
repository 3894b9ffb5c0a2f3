import type { Queryable } from '../../../contracts/ports/sql.ts';
import type { Channel } from '../../../domain/task/types.ts';
import type { Outcome } from './delivery-policy.ts';

export interface DeliveryKey {
  readonly task_id: string;
  readonly reminder_index: number;
  readonly fire_at: Date;
  readonly channel: Channel;
}

/**
 * Records what became of the claim numbered `attempts`. It may land on a row the reaper settled as
 * failed meanwhile (a send slower than the reaper's bound): the real outcome then replaces the guess. Answers
 * whether it did (false: the claim was not this one's any more).
 */
export async function recordOutcome(db: Queryable, key: DeliveryKey, attempts: number, outcome: Outcome): Promise<boolean> {
  const sent = outcome.status === 'sent' ? outcome : null;
  const result = await db.query(
    `UPDATE notification_deliveries
        SET status = $6, delivered_via = $7, late = $8, sent_at = $9, last_error = $10,
            next_attempt_at = coalesce($11, next_attempt_at), updated_at = now()
      WHERE task_id = $1 AND reminder_index = $2 AND fire_at = $3 AND channel = $4 AND attempts = $5
        AND status IN ('sending', 'failed')`,
    [
      key.task_id, key.reminder_index, key.fire_at, key.channel, attempts,
      outcome.status,
      sent?.delivered_via ?? null,
      sent?.late ?? false,
      sent?.sent_at ?? null,
      outcome.status === 'sent' ? null : outcome.last_error,
      outcome.status === 'retrying' ? outcome.next_attempt_at : null,
    ],
  );
  return result.rowCount === 1;
}
