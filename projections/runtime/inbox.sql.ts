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
