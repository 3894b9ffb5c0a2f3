import type { CopyValue, Queryable, Transactional } from '../../../contracts/ports/sql.ts';
import { fromExportedEvent, type ExportedEvent, type ExportedIdempotencyRecord } from '../../../contracts/events/log-export.ts';
import type { StoredEvent } from '../../../contracts/events/stored-event.ts';
import { ExportFileError, openExport } from './read-export.ts';

/** Events per import transaction: one COPY each. A crash loses at most the batch in flight; a rerun resumes after the last one. */
export const IMPORT_BATCH = 5000;

export interface ImportReport {
  readonly events: number;
  /** Events already in the store from an earlier, interrupted import of the same file. */
  readonly resumed_after: number;
  readonly idempotency_records: number;
  readonly seconds: number;
}

export interface ImportProgress { (imported: number, total: number): void }

const EVENT_COLUMNS = ['position', 'event_id', 'stream_id', 'version', 'type', 'schema_version', 'data', 'metadata', 'created_at'] as const;

// The envelope has no actoremail for an event without one: its metadata gets user_email null, as the write side writes it.
function eventRow(event: StoredEvent): CopyValue[] {
  return [
    event.position, event.event_id, event.stream_id, event.version, event.type, event.schema_version,
    JSON.stringify(event.data), JSON.stringify(event.metadata), event.created_at,
  ];
}

/** The stream heads a batch moves: each stream's highest version, its first and its last append. */
function streamHeads(events: readonly StoredEvent[]) {
  const heads = new Map<string, { version: number; created_at: string; updated_at: string }>();
  for (const event of events) {
    const head = heads.get(event.stream_id);
    if (!head) heads.set(event.stream_id, { version: event.version, created_at: event.created_at, updated_at: event.created_at });
    else heads.set(event.stream_id, { ...head, version: Math.max(head.version, event.version), updated_at: event.created_at });
  }
  return heads;
}

async function appendBatch(db: Transactional, events: readonly StoredEvent[]): Promise<void> {
  await db.transaction(async (tx) => {
    // COPY writes the identity column as given (like OVERRIDING SYSTEM VALUE): positions are kept. The
    // transaction id is this transaction's, so batches keep the file's order in the log.
    await tx.copyRows('events', EVENT_COLUMNS, events.map(eventRow));
    const heads = [...streamHeads(events)];
    await tx.query(
      `INSERT INTO streams (stream_id, version, created_at, updated_at)
       SELECT * FROM unnest($1::uuid[], $2::bigint[], $3::timestamptz[], $4::timestamptz[])
       ON CONFLICT (stream_id) DO UPDATE SET version = GREATEST(streams.version, EXCLUDED.version),
                                             updated_at = GREATEST(streams.updated_at, EXCLUDED.updated_at)`,
      [heads.map(([id]) => id), heads.map(([, h]) => h.version), heads.map(([, h]) => h.created_at), heads.map(([, h]) => h.updated_at)],
    );
  });
}

async function rememberAll(db: Queryable, records: readonly ExportedIdempotencyRecord[]): Promise<void> {
  await db.query(
    `INSERT INTO idempotency_keys (user_id, key, request_hash, stream_id, version, position, status, created_at)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::uuid[], $5::bigint[], $6::bigint[], $7::int[], $8::timestamptz[])
     ON CONFLICT (user_id, key) DO NOTHING`,
    [records.map((r) => r.user_id), records.map((r) => r.key), records.map((r) => r.request_hash), records.map((r) => r.stream_id),
      records.map((r) => r.version), records.map((r) => r.position), records.map((r) => r.status), records.map((r) => r.created_at)],
  );
}

/** The store's events in log order, as ids, for comparing with the file an interrupted import came from. */
async function* storedIds(db: Queryable): AsyncGenerator<string> {
  let after = { transaction_id: '0', position: 0 };
  for (;;) {
    const batch = await db.query<{ event_id: string; transaction_id: string; position: number }>(
      `SELECT event_id, transaction_id::text AS transaction_id, position::float8 AS position FROM events
        WHERE (transaction_id, position) > ($1::xid8, $2::bigint) ORDER BY events.transaction_id, events.position LIMIT $3`,
      [after.transaction_id, after.position, IMPORT_BATCH],
    );
    for (const row of batch.rows) yield row.event_id;
    const tail = batch.rows.at(-1);
    if (!tail) return;
    after = { transaction_id: tail.transaction_id, position: tail.position };
  }
}

/**
 * How many of the file's events the store holds already: 0 for an empty store; for an import of this same
 * file that was interrupted, the events it got (they are the file's first ones, in its order). Anything
 * else is refused: an import never mixes with other data.
 */
async function alreadyImported(db: Queryable, path: string): Promise<number> {
  const counts = await db.query<{ events: number; keys: number }>(
    'SELECT (SELECT count(*) FROM events)::float8 AS events, (SELECT count(*) FROM idempotency_keys)::float8 AS keys',
  );
  const { events, keys } = counts.rows[0] ?? { events: 0, keys: 0 };
  if (events === 0 && keys === 0) return 0;
  const refuse = () => new ExportFileError(
    `the store is not empty (${events} events, ${keys} idempotency records) and is not an interrupted import of this file: import into an empty database`);
  const stored = storedIds(db);
  let matched = 0;
  const { header, body } = await openExport(path);
  for await (const line of body) {
    if ('record' in line) break;
    const next = await stored.next();
    if (next.done) break;
    if (next.value !== line.id) throw refuse();
    matched += 1;
  }
  if (matched !== events || (keys > 0 && matched !== header.events)) throw refuse();
  return matched;
}

/**
 * Imports an export file into an empty store (or finishes an interrupted import of the same file). The whole
 * file is read and checked first — every line against its schema, the counts and the checksum — so a damaged
 * or truncated file is refused before a row is written. Then events go in, in file order, in transactions of
 * IMPORT_BATCH events, keeping their ids, streams, versions, positions, creation times and metadata; then the
 * idempotency records. Read models and reminder state are not imported: their projectors build them from
 * the log as they do on any first start.
 */
export async function importLog(db: Transactional, path: string, onProgress: ImportProgress = () => undefined): Promise<ImportReport> {
  const started = performance.now();
  const checked = await openExport(path);
  for await (const _line of checked.body) { /* every line is validated as it is read; the trailer at the end */ }
  const total = checked.header.events;

  const skip = await alreadyImported(db, path);
  const { body } = await openExport(path);
  let seen = 0;
  let batch: StoredEvent[] = [];
  let records: ExportedIdempotencyRecord[] = [];
  let imported = skip;
  const flush = async () => {
    if (batch.length === 0) return;
    await appendBatch(db, batch);
    imported += batch.length;
    batch = [];
    onProgress(imported, total);
  };
  let recordCount = 0;
  for await (const line of body) {
    if ('record' in line) {
      await flush();
      records.push(line);
      recordCount += 1;
      if (records.length >= IMPORT_BATCH) {
        await rememberAll(db, records);
        records = [];
      }
      continue;
    }
    seen += 1;
    if (seen <= skip) continue;
    const event = fromExportedEvent(line satisfies ExportedEvent);
    // Log order is (transaction, position); within one import transaction it is position alone. Where the
    // file's positions go down (a later-allocated event committed first), a new transaction keeps that order.
    const previous = batch.at(-1);
    if (batch.length >= IMPORT_BATCH || (previous && event.position < previous.position)) await flush();
    batch.push(event);
  }
  await flush();
  if (records.length > 0) await rememberAll(db, records);
  // New appends continue after the highest imported position.
  await db.query(`SELECT setval(pg_get_serial_sequence('events', 'position'), max(position)) FROM events HAVING count(*) > 0`);
  return { events: imported - skip, resumed_after: skip, idempotency_records: recordCount, seconds: (performance.now() - started) / 1000 };
}
