import type { Queryable } from '../../contracts/ports/sql.ts';

export interface RememberedResult {
  readonly request_hash: string;
  readonly status: number;
  readonly stream_id: string;
  readonly version: number;
  readonly position: number;
}

export async function findRememberedResult(db: Queryable, userId: string, key: string): Promise<RememberedResult | null> {
  const result = await db.query<{ request_hash: string; status: number; stream_id: string; version: number; position: number }>(
    `SELECT request_hash, status, stream_id, version::float8 AS version, position::float8 AS position
       FROM idempotency_keys WHERE user_id = $1 AND key = $2`,
    [userId, key],
  );
  return result.rows[0] ?? null;
}

/** For commands that changed nothing: remember the answer so a retry gives the same one. */
export async function rememberResult(
  db: Queryable,
  userId: string,
  key: string,
  result: RememberedResult,
): Promise<void> {
  await db.query(
    `INSERT INTO idempotency_keys (user_id, key, request_hash, status, stream_id, version, position)
     VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (user_id, key) DO NOTHING`,
    [userId, key, result.request_hash, result.status, result.stream_id, result.version, result.position],
  );
}
