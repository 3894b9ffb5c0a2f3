import type { Result } from '../../domain/common/result.ts';
import { err, ok } from '../../domain/common/result.ts';
import type { Queryable } from '../../contracts/ports/sql.ts';
import type { Appended, ExpectedVersion, IdempotencyRecord, NewEvent, VersionConflict } from './types.ts';

/*
 * One statement per append, so an append is one round trip in autocommit. The stream-head row is the
 * compare-and-set: for an exact version the UPDATE matches only while the head is still at that version
 * (a concurrent winner's commit makes it re-check and miss); `no_stream` is an INSERT that does nothing on
 * an existing head. When the head step returns no row, no event is inserted and the caller gets a conflict.
 * The unique (stream_id, version) backs all of this up.
 *
 * Placeholders: $1 stream, $2 event count, $3..$7 event columns, then the mode's own parameters.
 */
const HEAD = {
  exact: (expected: string) => `
    UPDATE streams SET version = version + $2, updated_at = now()
     WHERE stream_id = $1 AND version = ${expected}
    RETURNING version - $2 AS previous`,
  no_stream: () => `
    INSERT INTO streams (stream_id, version) VALUES ($1, $2)
    ON CONFLICT (stream_id) DO NOTHING
    RETURNING 0::bigint AS previous`,
  any: () => `
    INSERT INTO streams (stream_id, version) VALUES ($1, $2)
    ON CONFLICT (stream_id) DO UPDATE SET version = streams.version + $2, updated_at = now()
    RETURNING version - $2 AS previous`,
} as const;

const INSERT_EVENTS = `
  INSERT INTO events (event_id, stream_id, version, type, schema_version, data, metadata)
  SELECT e.event_id, $1, head.previous + e.ord, e.type, e.schema_version, e.data, e.metadata
    FROM head,
         unnest($3::uuid[], $4::text[], $5::int[], $6::jsonb[], $7::jsonb[])
           WITH ORDINALITY AS e (event_id, type, schema_version, data, metadata, ord)
  RETURNING version, position`;

// The common case, one event, with scalar parameters: no array literals to build and escape in Node or to
// parse and unnest in PostgreSQL. Same placeholders: $3..$7 are the event's columns.
const INSERT_ONE_EVENT = `
  INSERT INTO events (event_id, stream_id, version, type, schema_version, data, metadata)
  SELECT $3::uuid, $1, head.previous + 1, $4::text, $5::int, $6::jsonb, $7::jsonb
    FROM head
  RETURNING version, position`;

const REMEMBER = (p: number) => `
  INSERT INTO idempotency_keys (user_id, key, request_hash, status, stream_id, version, position)
  SELECT $${p}, $${p + 1}, $${p + 2}, $${p + 3}, $1, max(version), max(position) FROM appended
  HAVING count(*) > 0
  RETURNING 1`;

function statement(expected: ExpectedVersion, remember: boolean, single: boolean): { text: string; extra: (e: ExpectedVersion) => unknown[] } {
  const exact = typeof expected === 'number';
  const head = exact ? HEAD.exact('$8') : expected === 'no_stream' ? HEAD.no_stream() : HEAD.any();
  const next = exact ? 9 : 8;
  const text = `
    WITH head AS (${head}),
         appended AS (${single ? INSERT_ONE_EVENT : INSERT_EVENTS})${remember ? `,
         remembered AS (${REMEMBER(next)})` : ''}
    SELECT max(version)::float8 AS version, max(position)::float8 AS position, count(*)::int AS count FROM appended`;
  return { text, extra: (e) => (typeof e === 'number' ? [e] : []) };
}

/**
 * Appends events to a stream at an expected version. Returns the new stream version and the position of
 * the last event, or a conflict with the version the stream really has.
 */
export async function append(
  db: Queryable,
  streamId: string,
  expected: ExpectedVersion,
  events: readonly NewEvent[],
  idempotency?: IdempotencyRecord,
): Promise<Result<Appended, VersionConflict>> {
  if (events.length === 0) throw new Error('append needs at least one event');
  if (typeof expected === 'number' && expected === 0) return append(db, streamId, 'no_stream', events, idempotency);
  const [only] = events;
  const single = events.length === 1 && only !== undefined;
  const { text, extra } = statement(expected, idempotency !== undefined, single);
  const name = `append_${typeof expected === 'number' ? 'exact' : expected}${idempotency ? '_remembered' : ''}${single ? '_one' : ''}`;
  const columns = single
    ? [only.event_id, only.type, only.schema_version, JSON.stringify(only.data), JSON.stringify(only.metadata)]
    : [
      events.map((e) => e.event_id),
      events.map((e) => e.type),
      events.map((e) => e.schema_version),
      events.map((e) => JSON.stringify(e.data)),
      events.map((e) => JSON.stringify(e.metadata)),
    ];
  const params: unknown[] = [
    streamId,
    events.length,
    ...columns,
    ...extra(expected),
    ...(idempotency ? [idempotency.user_id, idempotency.key, idempotency.request_hash, idempotency.status] : []),
  ];
  const result = await db.query<{ version: number | null; position: number | null; count: number }>(text, params, { name });
  const row = result.rows[0];
  if (row && row.count === events.length && row.version !== null && row.position !== null) {
    return ok({ version: row.version, position: row.position });
  }
  return err({ code: 'version_conflict', current_version: await streamVersion(db, streamId) });
}

export async function streamVersion(db: Queryable, streamId: string): Promise<number> {
  const result = await db.query<{ version: number }>('SELECT version::float8 AS version FROM streams WHERE stream_id = $1', [streamId]);
  return result.rows[0]?.version ?? 0;
}
