import type { Notification, NotificationDelivery, NotificationStatus } from '../../contracts/notifications.ts';
import type { Queryable } from '../../contracts/ports/sql.ts';
import { NOTIFICATION_DELIVERIES, NOTIFICATION_SCHEDULE_VIEW } from '../../contracts/read-models/notification-schedule.ts';
import type { NotificationCursor } from './notification-cursor.ts';

interface DeliveryJson extends Omit<NotificationDelivery, 'sent_at' | 'next_attempt_at'> { sent_at: string | null; next_attempt_at: string | null }
interface NotificationRow extends Omit<Notification, 'fire_at' | 'deliveries'> { fire_at: Date; deliveries: DeliveryJson[] }

const iso = (value: string | null): string | null => (value === null ? null : new Date(value).toISOString());

/**
 * One user's reminders, newest fire time first: armed and cancelled schedule rows, and any row (even one
 * rescheduled since) that has delivery records, with those records per channel and the status they add up
 * to. Reminders that never were due to anyone — rescheduled, or set in the past — without records are left out.
 */
export async function listNotifications(db: Queryable, options: {
  userId: string;
  status?: NotificationStatus;
  after?: NotificationCursor;
  limit: number;
}): Promise<Notification[]> {
  const result = await db.query<NotificationRow>(
    `WITH items AS (
       SELECT s.task_id, s.reminder_index, s.fire_at, s.title, s.reminder, s.channels,
              coalesce(d.deliveries, '[]'::jsonb) AS deliveries,
              CASE
                WHEN s.state = 'armed' AND coalesce(d.settled, 0) < cardinality(s.channels) THEN 'pending'
                WHEN d.sent > 0 THEN 'sent'
                WHEN d.failed > 0 THEN 'failed'
                WHEN d.missed > 0 THEN 'missed'
                ELSE 'cancelled'
              END AS status
         FROM ${NOTIFICATION_SCHEDULE_VIEW} s
         LEFT JOIN LATERAL (
           SELECT jsonb_agg(jsonb_build_object(
                    'channel', x.channel, 'status', x.status, 'delivered_via', x.delivered_via, 'attempts', x.attempts,
                    'late', x.late, 'last_error', x.last_error, 'sent_at', x.sent_at,
                    'next_attempt_at', CASE WHEN x.status IN ('due', 'retrying') THEN x.next_attempt_at END
                  ) ORDER BY x.channel) AS deliveries,
                  count(*) FILTER (WHERE x.status IN ('sent', 'failed', 'missed', 'cancelled') AND x.channel = ANY (s.channels)) AS settled,
                  count(*) FILTER (WHERE x.status = 'sent') AS sent,
                  count(*) FILTER (WHERE x.status = 'failed') AS failed,
                  count(*) FILTER (WHERE x.status = 'missed') AS missed
             FROM ${NOTIFICATION_DELIVERIES} x
            WHERE x.task_id = s.task_id AND x.reminder_index = s.reminder_index AND x.fire_at = s.fire_at
         ) d ON true
        WHERE s.user_id = $1
          AND (s.state IN ('armed', 'cancelled') OR d.deliveries IS NOT NULL)
          AND ($3::timestamptz IS NULL OR (s.fire_at, s.task_id, s.reminder_index) < ($3::timestamptz, $4::uuid, $5::integer))
     )
     SELECT task_id, reminder_index, fire_at, title, reminder, channels, status, deliveries
       FROM items
      WHERE $2::text IS NULL OR status = $2::text
      ORDER BY fire_at DESC, task_id DESC, reminder_index DESC
      LIMIT $6`,
    [options.userId, options.status ?? null, options.after?.fire_at ?? null, options.after?.task_id ?? null, options.after?.reminder_index ?? null, options.limit],
  );
  return result.rows.map((row) => ({
    ...row,
    fire_at: row.fire_at.toISOString(),
    deliveries: row.deliveries.map((d) => ({ ...d, sent_at: iso(d.sent_at), next_attempt_at: iso(d.next_attempt_at) })),
  }));
}
