/**
 * The SQL port every layer that owns tables writes against. gateways/postgres implements it with pg; the
 * callers stay free of the driver.
 */
export interface QueryResult<R> { readonly rows: R[]; readonly rowCount: number | null }

export type Row = Record<string, unknown>;

export interface Queryable {
  query<R extends object = Row>(text: string, params?: readonly unknown[]): Promise<QueryResult<R>>;
}

export interface Transactional extends Queryable {
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
}

/** PostgreSQL error codes callers branch on. */
export const PG_UNIQUE_VIOLATION = '23505';

export function isPgError(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === code;
}
