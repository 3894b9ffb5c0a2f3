import type { Queryable } from '../../contracts/ports/sql.ts';

/*
 * The stream ids at the 1/parts, 2/parts, … quantiles of all streams, in order. One pass over the streams'
 * primary key (an index-only scan once vacuumed); a rebuild calls it once.
 */
export async function splitStreams(db: Queryable, parts: number): Promise<string[]> {
  if (!Number.isInteger(parts) || parts < 1) throw new Error(`parts must be a positive integer, got ${parts}`);
  if (parts === 1) return [];
  const result = await db.query<{ stream_id: string }>(
    `SELECT stream_id FROM (
       SELECT stream_id, row_number() OVER (ORDER BY stream_id) AS n, count(*) OVER () AS total FROM streams) AS ranked
      WHERE n > 1 AND (n - 1) % greatest(1, total / $1) = 0 AND (n - 1) / greatest(1, total / $1) < $1
      ORDER BY stream_id`,
    [parts],
  );
  return result.rows.map((row) => row.stream_id);
}
