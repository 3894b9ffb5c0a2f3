import type { Db } from '../gateways/postgres/db.ts';

/*
 * What a workload wrote to PostgreSQL's write-ahead log, from pg_stat_wal: a figure that does not depend on
 * how fast the machine was that day. Every row and index entry written is logged, so it counts the writes
 * behind the CPU figures; zero-filling of new WAL segments is not in it.
 */

export interface WalSample { readonly records: number; readonly bytes: number; readonly fullPageImages: number }

export interface WalPerOperation {
  readonly operations: number;
  /** Per operation. */
  readonly records: number;
  readonly bytes: number;
  readonly fullPageImages: number;
}

export async function sampleWal(db: Db): Promise<WalSample> {
  const result = await db.query<{ records: number; bytes: number; fpi: number }>(
    'SELECT wal_records::float8 AS records, wal_bytes::float8 AS bytes, wal_fpi::float8 AS fpi FROM pg_stat_wal',
  );
  const row = result.rows[0];
  if (!row) throw new Error('pg_stat_wal returned no row');
  return { records: row.records, bytes: row.bytes, fullPageImages: row.fpi };
}

export function walPerOperation(before: WalSample, after: WalSample, operations: number): WalPerOperation {
  const per = (value: number) => (operations > 0 ? value / operations : Number.NaN);
  return {
    operations,
    records: per(after.records - before.records),
    bytes: per(after.bytes - before.bytes),
    fullPageImages: per(after.fullPageImages - before.fullPageImages),
  };
}
