import { isBefore } from '../../contracts/events/stored-event.ts';
import type { EventLog } from '../../contracts/ports/event-log.ts';
import type { Transactional } from '../../contracts/ports/sql.ts';
import { listDeadLetters, resolveDeadLetter, type DeadLetter } from './dead-letters.sql.ts';
import { lockProjection } from './projection-state.sql.ts';
import type { Projector } from './projector.ts';

export interface RetryOutcome { readonly dead_letter: DeadLetter; readonly ok: boolean; readonly error?: string }

/**
 * Replays the whole stream of each dead-lettered event, up to the projector's checkpoint, in one
 * transaction per dead letter: the projection ends as if the event had never failed. A dead letter that
 * fails again stays, with its new error.
 */
export async function retryDeadLetters(db: Transactional, log: EventLog, projector: Projector, ids?: readonly number[]): Promise<RetryOutcome[]> {
  const outcomes: RetryOutcome[] = [];
  for (const deadLetter of await listDeadLetters(db, projector.name)) {
    if (ids && !ids.includes(deadLetter.id)) continue;
    try {
      await db.transaction(async (tx) => {
        const state = await lockProjection(tx, projector.name);
        const stream = (await log.readStream(deadLetter.stream_id)).filter((e) => !isBefore(state.checkpoint, e));
        await projector.forgetStream?.(tx, state.active_table, deadLetter.stream_id);
        if (stream.length > 0) await projector.apply(tx, stream, state.active_table);
        await resolveDeadLetter(tx, deadLetter.id);
      });
      outcomes.push({ dead_letter: deadLetter, ok: true });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      await db.query('UPDATE projection_dead_letters SET attempts = attempts + 1, error = $2 WHERE id = $1', [deadLetter.id, message]);
      outcomes.push({ dead_letter: deadLetter, ok: false, error: message });
    }
  }
  return outcomes;
}
