import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { identifier, type CopyValue, type Queryable, type Row, type Transactional, type TransactionScope } from '../../contracts/ports/sql.ts';
import { copyTextLine } from './copy-text.ts';

export type { Queryable } from '../../contracts/ports/sql.ts';

/** Observes every query's duration; wiring connects it to the database_query_duration_seconds histogram. */
export type QueryObserver = (seconds: number, outcome: 'ok' | 'error') => void;

/** PostgreSQL through a pool, behind the SQL port of contracts/ports/sql.ts. */
export interface Db extends Transactional {
  /** A dedicated connection, e.g. for LISTEN or session-level advisory locks. */
  connect(): Promise<pg.PoolClient>;
  close(): Promise<void>;
  readonly url: string;
}

const noObserver: QueryObserver = () => undefined;

function timed(client: pg.Pool | pg.PoolClient, observe: QueryObserver): Queryable {
  return {
    async query<R extends object = Row>(text: string, params?: readonly unknown[], options?: { readonly name?: string }) {
      const started = performance.now();
      try {
        const values = params ? [...params] : undefined;
        // Text and values as they are for an unnamed statement: pg copies a config object property by property.
        const result = options?.name
          ? await client.query<Row>({ name: options.name, text, ...(values ? { values } : {}) })
          : await client.query<Row>(text, values);
        observe((performance.now() - started) / 1000, 'ok');
        // The SQL text decides the row shape; each caller states it next to its query.
        return { rows: result.rows as R[], rowCount: result.rowCount };
      } catch (error) {
        observe((performance.now() - started) / 1000, 'error');
        throw error;
      }
    },
  };
}

// COPY data goes out in chunks of about this many characters: one socket write each, not one per row.
const COPY_CHUNK = 64 * 1024;

function* copyChunks(rows: Iterable<readonly CopyValue[]>): Generator<string> {
  let chunk = '';
  for (const row of rows) {
    chunk += copyTextLine(row);
    if (chunk.length >= COPY_CHUNK) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk.length > 0) yield chunk;
}

function transactionScope(client: pg.PoolClient, observe: QueryObserver): TransactionScope {
  return {
    ...timed(client, observe),
    async copyRows(table, columns, rows) {
      const started = performance.now();
      try {
        const copy = client.query(copyFrom(`COPY ${identifier(table)} (${columns.map(identifier).join(', ')}) FROM STDIN`));
        await pipeline(Readable.from(copyChunks(rows)), copy);
        observe((performance.now() - started) / 1000, 'ok');
      } catch (error) {
        observe((performance.now() - started) / 1000, 'error');
        throw error;
      }
    },
  };
}

/**
 * How long a query or transaction waits for a connection (a free one from the pool, or a new one to the
 * server) before it fails: a server that hangs, or a pool held by long work, answers the caller with a
 * transient error (503 with Retry-After at HTTP; a retry in a projector) instead of a request that never
 * ends.
 */
export const CONNECT_TIMEOUT_MS = 10_000;

export interface DbOptions {
  readonly max?: number;
  readonly observe?: QueryObserver;
  readonly applicationName?: string;
  readonly connectTimeoutMs?: number;
}

export function createDb(url: string, options: DbOptions = {}): Db {
  const observe = options.observe ?? noObserver;
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    application_name: options.applicationName ?? 'todo',
    connectionTimeoutMillis: options.connectTimeoutMs ?? CONNECT_TIMEOUT_MS,
  });
  // An idle client losing its connection (server restart) must not crash the process; the pool replaces it.
  pool.on('error', () => undefined);
  // Nor may a checked-out one (a transaction, a migration): pg emits 'error' on it as well as failing the
  // query in flight or the next one, and an 'error' event without a listener ends the process.
  pool.on('connect', (client) => { client.on('error', () => undefined); });
  const direct = timed(pool, observe);
  return {
    url,
    query: (text, params, options) => direct.query(text, params, options),
    async transaction(work) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await work(transactionScope(client, observe));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    connect: () => pool.connect(),
    close: () => pool.end(),
  };
}
