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

/**
 * Records that `consumer` applies these events, in one statement; answers the places (`stream@version`)
 * admitted now. An event already admitted (a redelivery), or twice in the list, is admitted once.
 */
export async function admitAllToInbox(tx: Queryable, consumer: string, events: readonly StoredEvent[]): Promise<ReadonlySet<string>> {
  if (events.length === 0) return new Set();
  const result = await tx.query<{ place: string }>(
    `INSERT INTO bus_inbox (consumer, stream_id, version, event_id, position)
     SELECT $1, stream_id, version, event_id, position
       FROM unnest($2::uuid[], $3::bigint[], $4::uuid[], $5::bigint[]) AS e (stream_id, version, event_id, position)
     ON CONFLICT (consumer, stream_id, version) DO NOTHING
     RETURNING stream_id || '@' || version AS place`,
    [consumer, events.map((e) => e.stream_id), events.map((e) => e.version), events.map((e) => e.event_id), events.map((e) => e.position)],
    { name: 'admit-all-to-inbox' },
  );
  return new Set(result.rows.map((row) => row.place));
}
