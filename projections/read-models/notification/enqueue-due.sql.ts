import type { Queryable } from '../../../contracts/ports/sql.ts';

/**
 * Turns every armed reminder whose time has come into delivery records (one per channel, status `due`).
 * The scan starts a margin before the point the previous tick reached (or at the beginning, the first
 * time), so rows armed by an event from a slightly slower clock are still found; delivery records that
 * exist already are left alone, and two schedulers inserting the same one race on its primary key, so
 * each (reminder, channel) is enqueued once. Answers how many records it added.
 */
export async function enqueueDueReminders(tx: Queryable, now: Date, marginMs: number): Promise<number> {
  const inserted = await tx.query(
    `WITH scan AS (
       SELECT least(scanned_until, $1::timestamptz) - make_interval(secs => $2::float8 / 1000) AS since FROM notification_scan
     )
     INSERT INTO notification_deliveries (task_id, reminder_index, fire_at, channel, user_id, status, next_attempt_at)
     SELECT s.task_id, s.reminder_index, s.fire_at, c.channel, s.user_id, 'due', s.fire_at
       FROM notification_schedule s
       CROSS JOIN LATERAL unnest(s.channels) AS c (channel)
       CROSS JOIN scan
      WHERE s.state = 'armed' AND s.fire_at <= $1 AND (scan.since IS NULL OR s.fire_at > scan.since)
        AND NOT EXISTS (
          SELECT 1 FROM notification_deliveries d
           WHERE d.task_id = s.task_id AND d.reminder_index = s.reminder_index AND d.fire_at = s.fire_at AND d.channel = c.channel)
     ON CONFLICT DO NOTHING`,
    [now, marginMs],
  );
  await tx.query(
    `UPDATE notification_scan SET scanned_until = greatest(coalesce(scanned_until, $1::timestamptz), $1::timestamptz)`,
    [now],
  );
  return inserted.rowCount ?? 0;
}
