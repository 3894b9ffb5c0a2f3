import type { Queryable } from '../../../contracts/ports/sql.ts';
import type { Channel, Due } from '../../../domain/task/types.ts';

/** A delivery this scheduler now owns, with what its message needs. */
export interface ClaimedDelivery {
  readonly task_id: string;
  readonly reminder_index: number;
  readonly fire_at: Date;
  readonly channel: Channel;
  readonly user_id: string;
  /** Counting this one. */
  readonly attempts: number;
  readonly last_error: string | null;
  readonly email: string | null;
  readonly title: string;
  readonly due: Due | null;
  /** The task version whose event planned this reminder (its send is a span of that change's trace). */
  readonly version: number;
}

/**
 * Claims up to `limit` deliveries that are ready (due, or retrying and past their backoff) and whose reminder
 * is still armed: `FOR UPDATE SKIP LOCKED`, so schedulers running side by side take disjoint rows, and the
 * claim re-checks the status on the row it locks, so a row another scheduler claimed a moment ago is never
 * taken again. Claimed rows are `sending` once this commits; their outcome is recorded after the send.
 */
export async function claimDueDeliveries(tx: Queryable, now: Date, limit: number): Promise<ClaimedDelivery[]> {
  const result = await tx.query<ClaimedDelivery>(
    `WITH ready AS (
       SELECT d.task_id, d.reminder_index, d.fire_at, d.channel
         FROM notification_deliveries d
         JOIN notification_schedule s
           ON s.task_id = d.task_id AND s.reminder_index = d.reminder_index AND s.fire_at = d.fire_at AND s.state = 'armed'
        WHERE d.status IN ('due', 'retrying') AND d.next_attempt_at <= $1
        ORDER BY d.next_attempt_at
        LIMIT $2
        FOR UPDATE OF d SKIP LOCKED
     )
     UPDATE notification_deliveries d
        SET status = 'sending', attempts = d.attempts + 1, claimed_at = $1, updated_at = now()
       FROM ready r, notification_schedule s
      WHERE d.task_id = r.task_id AND d.reminder_index = r.reminder_index AND d.fire_at = r.fire_at AND d.channel = r.channel
        AND s.task_id = d.task_id AND s.reminder_index = d.reminder_index AND s.fire_at = d.fire_at
      RETURNING d.task_id, d.reminder_index, d.fire_at, d.channel, d.user_id, d.attempts, d.last_error, s.email, s.title, s.due,
        s.version`,
    [now, limit],
  );
  return result.rows;
}
