import type { Queryable } from '../../contracts/ports/sql.ts';
import type { IdempotencyRecord, NewEvent } from './types.ts';

/** One stream's first event, appended `no_stream`, with its idempotency record if the command had a key. */
export interface NewStream {
  readonly streamId: string;
  readonly event: NewEvent;
  readonly idempotency?: IdempotencyRecord | undefined;
}

/** Per stream, in the order given: the event's position, or null where the stream already existed. */
export type NewStreamOutcome = { readonly position: number } | null;

/*
 * The first events of several new streams in one statement, so in one transaction and one commit: each
 * stream's head is inserted `no_stream` (ON CONFLICT DO NOTHING), and only a stream whose head went in gets
 * its event (version 1) and its idempotency record — the compare-and-set of append.sql.ts, per stream. A
 * stream that exists already gets nothing, as a single `no_stream` append would. Any error (an event id or
 * idempotency key taken meanwhile) rolls back the whole statement, and nothing of it is appended.
 */
const APPEND_NEW_STREAMS = `
  WITH input AS (
    SELECT * FROM ROWS FROM (jsonb_to_recordset($1::jsonb) AS (
        stream_id uuid, event_id uuid, type text, schema_version int, data jsonb, metadata jsonb,
        user_id text, key text, request_hash text, status int))
      WITH ORDINALITY AS i (stream_id, event_id, type, schema_version, data, metadata, user_id, key, request_hash, status, ord)
  ),
  head AS (
    INSERT INTO streams (stream_id, version) SELECT stream_id, 1 FROM input ORDER BY ord
    ON CONFLICT (stream_id) DO NOTHING
    RETURNING stream_id
  ),
  appended AS (
    INSERT INTO events (event_id, stream_id, version, type, schema_version, data, metadata)
    SELECT i.event_id, i.stream_id, 1, i.type, i.schema_version, i.data, i.metadata
      FROM input i JOIN head USING (stream_id) ORDER BY i.ord
    RETURNING stream_id, position
  ),
  remembered AS (
    INSERT INTO idempotency_keys (user_id, key, request_hash, status, stream_id, version, position)
    SELECT i.user_id, i.key, i.request_hash, i.status, a.stream_id, 1, a.position
      FROM appended a JOIN input i USING (stream_id) WHERE i.key IS NOT NULL
    RETURNING 1
  )
  SELECT i.ord::int AS ord, a.position::float8 AS position FROM appended a JOIN input i USING (stream_id)`;

/**
 * Appends the first event of each stream, all or nothing per stream (see above). Stream ids must be
 * distinct: the caller groups each stream once.
 */
export async function appendNewStreams(db: Queryable, streams: readonly NewStream[]): Promise<NewStreamOutcome[]> {
  // One JSON document for the whole group: the driver would otherwise quote every event's JSON again as an
  // element of a text array, column by column.
  const input = streams.map((s) => ({
    stream_id: s.streamId,
    event_id: s.event.event_id,
    type: s.event.type,
    schema_version: s.event.schema_version,
    data: s.event.data,
    metadata: s.event.metadata,
    user_id: s.idempotency?.user_id ?? null,
    key: s.idempotency?.key ?? null,
    request_hash: s.idempotency?.request_hash ?? null,
    status: s.idempotency?.status ?? null,
  }));
  const result = await db.query<{ ord: number; position: number }>(APPEND_NEW_STREAMS, [JSON.stringify(input)], { name: 'append-new-streams' });
  // By ordinality, not by id: the id's text as given may differ from PostgreSQL's (upper case).
  const positions = new Map(result.rows.map((row) => [row.ord, row.position]));
  return streams.map((_, i) => {
    const position = positions.get(i + 1);
    return position === undefined ? null : { position };
  });
}
