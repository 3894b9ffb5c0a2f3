import pg from 'pg';
import type { Queryable, Row, Transactional } from '../../contracts/ports/sql.ts';

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
        const result = await client.query<Row>(options?.name ? { name: options.name, text, ...(values ? { values } : {}) } : { text, ...(values ? { values } : {}) });
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

export function createDb(url: string, options: { max?: number; observe?: QueryObserver; applicationName?: string } = {}): Db {
  const observe = options.observe ?? noObserver;
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    application_name: options.applicationName ?? 'todo',
  });
  // An idle client losing its connection (server restart) must not crash the process; the pool replaces it.
  pool.on('error', () => undefined);
  const direct = timed(pool, observe);
  return {
    url,
    query: (text, params, options) => direct.query(text, params, options),
    async transaction(work) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await work(timed(client, observe));
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
