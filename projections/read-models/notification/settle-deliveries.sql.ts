import type { Queryable } from '../../../contracts/ports/sql.ts';
import type { Channel } from '../../../domain/task/types.ts';

/**
 * Deliveries on their way (due, or waiting to retry) whose reminder is no longer armed — the task was
 * completed, deleted or rescheduled first — are cancelled. Answers the channel of each.
 */
export async function cancelDisarmedDeliveries(db: Queryable): Promise<Channel[]> {
  const result = await db.query<{ channel: Channel }>(
    `UPDATE notification_deliveries d SET status = 'cancelled', updated_at = now()
      WHERE d.status IN ('due', 'retrying')
        AND NOT EXISTS (
          SELECT 1 FROM notification_schedule s
           WHERE s.task_id = d.task_id AND s.reminder_index = d.reminder_index AND s.fire_at = d.fire_at AND s.state = 'armed')
      RETURNING d.channel`,
  );
  return result.rows.map((row) => row.channel);
}

export interface SettledDelivery {
  readonly task_id: string; readonly reminder_index: number; readonly fire_at: Date; readonly channel: Channel;
  readonly user_id: string; readonly attempts: number;
}

export const UNKNOWN_OUTCOME = 'outcome unknown: the sender stopped during the send; not retried, as a reminder goes out at most once';

/**
 * A delivery still `sending` long after its claim belonged to a process that died mid-send: whether it
 * went out is unknown, and sending again could send it twice, so it is settled as failed, never retried.
 */
export async function settleUnknownSends(db: Queryable, claimedBefore: Date): Promise<SettledDelivery[]> {
  const result = await db.query<SettledDelivery>(
    `UPDATE notification_deliveries SET status = 'failed', last_error = $2, updated_at = now()
      WHERE status = 'sending' AND claimed_at < $1
      RETURNING task_id, reminder_index, fire_at, channel, user_id, attempts`,
    [claimedBefore, UNKNOWN_OUTCOME],
  );
  return result.rows;
}
