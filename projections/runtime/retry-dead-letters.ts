import { isBefore, type StoredEvent } from '../../contracts/events/stored-event.ts';
import type { EventLog } from '../../contracts/ports/event-log.ts';
import type { Transactional } from '../../contracts/ports/sql.ts';
import { listDeadLetters, resolveDeadLetter, type DeadLetter } from './dead-letters.sql.ts';
import { admitToInbox, inboxHighWater } from './inbox.sql.ts';
import { lockProjection } from './projection-state.sql.ts';
import type { Projector } from './projector.ts';
import { applyBatch } from './apply-batch.ts';

export interface RetryOutcome { readonly dead_letter: DeadLetter; readonly ok: boolean; readonly error?: string }

/** How the projector is fed where it runs: from the log (a checkpoint) or by the bus (an inbox, no checkpoint). */
export type ProjectorFeed = 'log' | 'bus';

/**
 * Replays the whole stream of each dead-lettered event, in one transaction per dead letter: the
 * projection ends as if the event had never failed. A dead letter that fails again stays, with its new
 * error. How far to replay: a log-fed projector, up to its checkpoint; a bus-fed one has no checkpoint,
 * so up to the furthest of what its inbox admitted for the stream and the dead-lettered event itself, and
 * the replayed events are admitted, so a late redelivery of them changes nothing.
 */
export async function retryDeadLetters(
  db: Transactional,
  log: EventLog,
  projector: Projector,
  options: { readonly ids?: readonly number[]; readonly feed?: ProjectorFeed } = {},
): Promise<RetryOutcome[]> {
  const { ids, feed = 'log' } = options;
  const outcomes: RetryOutcome[] = [];
  for (const deadLetter of await listDeadLetters(db, projector.name)) {
    if (ids && !ids.includes(deadLetter.id)) continue;
    try {
      await db.transaction(async (tx) => {
        const state = await lockProjection(tx, projector.name);
        const events = await log.readStream(deadLetter.stream_id);
        let stream: StoredEvent[];
        switch (feed) {
          case 'log':
            stream = events.filter((e) => !isBefore(state.checkpoint, e));
            break;
          case 'bus': {
            const upTo = Math.max(await inboxHighWater(tx, projector.name, deadLetter.stream_id), deadLetter.version);
            stream = events.filter((e) => e.version <= upTo);
            for (const event of stream) await admitToInbox(tx, projector.name, event);
            break;
          }
          default: {
            const unknown: never = feed;
            throw new Error(`unknown feed ${String(unknown)}`);
          }
        }
        if (projector.kind === 'read-model' && state.active_table) await projector.forgetStream?.(tx, state.active_table, deadLetter.stream_id);
        if (stream.length > 0) await applyBatch(tx, projector, stream, state.active_table);
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
