/**
 * The SQL port every layer that owns tables writes against. gateways/postgres implements it with pg; the
 * callers stay free of the driver.
 */
export interface QueryResult<R> { readonly rows: R[]; readonly rowCount: number | null }

export type Row = Record<string, unknown>;

export interface Queryable {
  /**
   * `name` makes it a named prepared statement: parsed and planned once per connection, not per call —
   * for hot statements whose text never changes under that name.
   */
  query<R extends object = Row>(text: string, params?: readonly unknown[], options?: { readonly name?: string }): Promise<QueryResult<R>>;
}

/** A value COPY writes into a column: text, a number, NULL, or a text[] (json columns take JSON text). */
export type CopyValue = string | number | null | readonly string[];

/** The connection a transaction runs on. */
export interface TransactionScope extends Queryable {
  /**
   * `COPY table (columns) FROM STDIN`: many rows in one stream, each value in its column's order. For bulk
   * loads into fresh tables; PostgreSQL parses it for a fraction of what the same rows cost as INSERTs.
   */
  copyRows(table: string, columns: readonly string[], rows: Iterable<readonly CopyValue[]>): Promise<void>;
}

export interface Transactional extends Queryable {
  transaction<T>(work: (tx: TransactionScope) => Promise<T>): Promise<T>;
}

/**
 * The name of a hot statement written against one versioned table: prepared once per connection and table,
 * not parsed and planned on every batch (a table swapped in by a rebuild gets statements of its own).
 */
export function preparedOn(statement: string, table: string): { readonly name: string } {
  return { name: `${statement}:${table}` };
}

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/** A table or column name, quoted. Names are ours, never input; still, nothing reaches SQL text unchecked. */
export function identifier(name: string): string {
  if (!IDENTIFIER.test(name)) throw new Error(`not a safe SQL identifier: ${name}`);
  return `"${name}"`;
}

/** PostgreSQL error codes callers branch on. */
export const PG_UNIQUE_VIOLATION = '23505';

export function isPgError(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === code;
}
