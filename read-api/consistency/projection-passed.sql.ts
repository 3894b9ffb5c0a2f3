import { isBefore, type LogCheckpoint } from '../../contracts/events/stored-event.ts';
import type { EventLog } from '../../contracts/ports/event-log.ts';
import type { Queryable } from '../../contracts/ports/sql.ts';

export interface GapWatch {
  /** Where a position without an event counts as passed, once it is known to be a gap; null until then. */
  checkpoint(position: number): Promise<LogCheckpoint | null>;
}

const noGaps: GapWatch = { checkpoint: () => Promise.resolve(null) };

/**
 * One wait's watch for a gap at its position: remembers which transactions were running when the position
 * was first seen allocated without an event, and calls it a gap once they have all ended and it still has none.
 */
export function gapWatch(log: Pick<EventLog, 'gapHorizon' | 'checkpointBeforeGap'>): GapWatch {
  let horizon: string | null = null;
  return {
    async checkpoint(position) {
      if (horizon === null) {
        horizon = await log.gapHorizon(position);
        return null;
      }
      return log.checkpointBeforeGap(position, horizon);
    },
  };
}

/**
 * Has the projection applied the event at `position`? Log order is (transaction_id, position), so a
 * checkpoint whose position is higher can still lie before it; compare in log order. The event's place in
 * the log comes from the event store; an event not yet readable there cannot have been applied.
 */
export async function projectionPassed(db: Queryable, log: Pick<EventLog, 'checkpointAt'>, projection: string, position: number, gap: GapWatch = noGaps): Promise<boolean> {
  if (position <= 0) return true;
  const event = (await log.checkpointAt(position)) ?? (await gap.checkpoint(position));
  if (!event) return false;
  const result = await db.query<{ transaction_id: string; position: number }>(
    'SELECT transaction_id::text AS transaction_id, position::float8 AS position FROM projections WHERE name = $1',
    [projection],
  );
  const checkpoint = result.rows[0];
  return checkpoint !== undefined && !isBefore(checkpoint, event);
}
