import type { Queryable } from '../../contracts/ports/sql.ts';

/**
 * Has the projection applied the event at `position`? Log order is (transaction_id, position), so a
 * checkpoint whose position is higher can still lie before it; compare in log order.
 */
export async function projectionPassed(db: Queryable, projection: string, position: number): Promise<boolean> {
  if (position <= 0) return true;
  const result = await db.query<{ passed: boolean }>(
    `SELECT EXISTS (
       SELECT 1 FROM projections p JOIN events e ON e.position = $2
        WHERE p.name = $1 AND (e.transaction_id, e.position) <= (p.transaction_id, p.position)) AS passed`,
    [projection, position],
  );
  return result.rows[0]?.passed ?? false;
}
