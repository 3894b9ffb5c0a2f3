import type { StoredEvent } from '../../contracts/events/stored-event.ts';
import type { Queryable } from '../../contracts/ports/sql.ts';

/** Records that `consumer` applies this event; false when it already had (a redelivery). */
export async function admitToInbox(tx: Queryable, consumer: string, event: StoredEvent): Promise<boolean> {
  const result = await tx.query(
    `INSERT INTO bus_inbox (consumer, stream_id, version, event_id, position)
     VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (consumer, stream_id, version) DO NOTHING`,
    [consumer, event.stream_id, event.version, event.event_id, event.position],
  );
  return result.rowCount === 1;
}

/** The highest version of a stream this consumer has admitted, 0 when none. */
export async function inboxHighWater(tx: Queryable, consumer: string, streamId: string): Promise<number> {
  const result = await tx.query<{ version: number | null }>(
    'SELECT max(version) AS version FROM bus_inbox WHERE consumer = $1 AND stream_id = $2', [consumer, streamId]);
  return result.rows[0]?.version ?? 0;
}
