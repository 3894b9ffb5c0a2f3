import type { Queryable } from '../../../contracts/ports/sql.ts';
import type { Channel } from '../../../domain/task/types.ts';

/** Deliveries whose time has come and that still wait for a scheduler pass (due, or due for a retry), by channel. */
export async function countReadyDeliveries(db: Queryable, now: Date): Promise<Map<Channel, number>> {
  const result = await db.query<{ channel: Channel; n: number }>(
    `SELECT channel, count(*)::int AS n FROM notification_deliveries
      WHERE status IN ('due', 'retrying') AND next_attempt_at <= $1
      GROUP BY channel`,
    [now],
  );
  return new Map(result.rows.map((row) => [row.channel, row.n]));
}

/** How far the schedulers have scanned for due reminders; null before the first pass. */
export async function readScannedUntil(db: Queryable): Promise<Date | null> {
  const result = await db.query<{ scanned_until: Date | null }>('SELECT scanned_until FROM notification_scan');
  return result.rows[0]?.scanned_until ?? null;
}
