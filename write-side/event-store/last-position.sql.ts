import type { Queryable } from '../../contracts/ports/sql.ts';

/**
 * The highest position of any committed event, whether or not gap-safe readers may pass it yet (an older
 * transaction may still be open). A consumer that has passed it has seen everything committed so far.
 */
export async function readLastCommittedPosition(db: Queryable): Promise<number> {
  const result = await db.query<{ position: number }>('SELECT coalesce(max(position), 0)::float8 AS position FROM events');
  return result.rows[0]?.position ?? 0;
}
