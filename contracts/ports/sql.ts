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

export interface Transactional extends Queryable {
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
}

/** PostgreSQL error codes callers branch on. */
export const PG_UNIQUE_VIOLATION = '23505';

export function isPgError(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === code;
}
