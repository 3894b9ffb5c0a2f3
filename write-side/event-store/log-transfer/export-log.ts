import { createHash } from 'node:crypto';
import type { Transactional } from '../../../contracts/ports/sql.ts';
import {
  EXPORT_FORMAT, EXPORT_FORMAT_VERSION, toExportedEvent, type ExportedIdempotencyRecord, type ExportHeader, type ExportTrailer,
} from '../../../contracts/events/log-export.ts';
import type { EventColumns } from '../row.ts';

/** How many rows one read of the export takes: what bounds its memory, whatever the size of the log. */
export const EXPORT_BATCH = 2000;

// created_at to the microsecond, as stored (a JavaScript Date would keep milliseconds).
const MICROSECONDS = `to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/** An event row as the export reads it: created_at as text, to the microsecond. */
interface ExportRow extends EventColumns { created_at: string }

interface IdempotencyRow {
  user_id: string;
  key: string;
  request_hash: string;
  stream_id: string;
  version: number;
  position: number;
  status: number;
  created_at: string;
}

export interface ExportReport {
  readonly events: number;
  readonly idempotency_records: number;
  readonly head_position: number;
  readonly bytes: number;
}

/**
 * Writes the whole log as the export format, line by line to `write` (which should wait for its sink to
 * drain). One REPEATABLE READ snapshot: the file is the log as of one instant, whatever is appended meanwhile.
 * Events go in log order, read by keyset in batches of EXPORT_BATCH, with payloads as stored (not upcast).
 */
export async function exportLog(db: Transactional, write: (line: string) => Promise<void>, clock: () => Date = () => new Date()): Promise<ExportReport> {
  return db.transaction(async (tx) => {
    await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
    const counted = await tx.query<{ events: number; head: number | null }>('SELECT count(*)::float8 AS events, max(position)::float8 AS head FROM events');
    const total = counted.rows[0]?.events ?? 0;
    let bytes = 0;
    const digest = createHash('sha256');
    const emit = async (record: unknown, body: boolean) => {
      const line = `${JSON.stringify(record)}\n`;
      if (body) digest.update(line);
      bytes += Buffer.byteLength(line);
      await write(line);
    };
    const header: ExportHeader = {
      record: 'header', format: EXPORT_FORMAT, version: EXPORT_FORMAT_VERSION, exported_at: clock().toISOString(),
      source: { head_position: 0 }, events: total,
    };
    // The head is the last event in log order, which need not be the highest position: it is filled in
    // from the same snapshot before anything is written.
    const last = await tx.query<{ position: number }>('SELECT position::float8 AS position FROM events ORDER BY events.transaction_id DESC, events.position DESC LIMIT 1');
    await emit({ ...header, source: { head_position: last.rows[0]?.position ?? 0 } }, false);

    let events = 0;
    let after = { transaction_id: '0', position: 0 };
    for (;;) {
      const batch = await tx.query<ExportRow>(
        `SELECT position::float8 AS position, transaction_id::text AS transaction_id, event_id, stream_id, version::float8 AS version,
                type, schema_version, data, metadata, ${MICROSECONDS} AS created_at
           FROM events WHERE (transaction_id, position) > ($1::xid8, $2::bigint)
          ORDER BY events.transaction_id, events.position LIMIT $3`,
        [after.transaction_id, after.position, EXPORT_BATCH],
      );
      for (const row of batch.rows) await emit(toExportedEvent(row), true);
      events += batch.rows.length;
      const tail = batch.rows.at(-1);
      if (!tail || batch.rows.length < EXPORT_BATCH) break;
      after = { transaction_id: tail.transaction_id, position: tail.position };
    }

    let records = 0;
    let afterKey = { user_id: '', key: '' };
    for (;;) {
      const batch = await tx.query<IdempotencyRow>(
        `SELECT user_id, key, request_hash, stream_id, version::float8 AS version, position::float8 AS position, status, ${MICROSECONDS} AS created_at
           FROM idempotency_keys WHERE (user_id, key) > ($1, $2) ORDER BY user_id, key LIMIT $3`,
        [afterKey.user_id, afterKey.key, EXPORT_BATCH],
      );
      for (const row of batch.rows) await emit({ record: 'idempotency', ...row } satisfies ExportedIdempotencyRecord, true);
      records += batch.rows.length;
      const tail = batch.rows.at(-1);
      if (!tail || batch.rows.length < EXPORT_BATCH) break;
      afterKey = { user_id: tail.user_id, key: tail.key };
    }

    const trailer: ExportTrailer = { record: 'trailer', events, idempotency_records: records, sha256: digest.digest('hex') };
    await emit(trailer, false);
    return { events, idempotency_records: records, head_position: last.rows[0]?.position ?? 0, bytes };
  });
}
