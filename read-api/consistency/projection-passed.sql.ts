import { isBefore } from '../../contracts/events/stored-event.ts';
import type { EventLog } from '../../contracts/ports/event-log.ts';
import type { Queryable } from '../../contracts/ports/sql.ts';

/**
 * Has the projection applied the event at `position`? Log order is (transaction_id, position), so a
 * checkpoint whose position is higher can still lie before it; compare in log order. The event's place in
 * the log comes from the event store; an event not yet readable there cannot have been applied.
 */
export async function projectionPassed(db: Queryable, log: Pick<EventLog, 'checkpointAt'>, projection: string, position: number): Promise<boolean> {
  if (position <= 0) return true;
  const event = await log.checkpointAt(position);
  if (!event) return false;
  const result = await db.query<{ transaction_id: string; position: number }>(
    'SELECT transaction_id::text AS transaction_id, position::float8 AS position FROM projections WHERE name = $1',
    [projection],
  );
  const checkpoint = result.rows[0];
  return checkpoint !== undefined && !isBefore(checkpoint, event);
}
