import { foldWholeStream } from '../../contracts/events/fold-task-stream.ts';
import type { StoredEvent } from '../../contracts/events/stored-event.ts';
import type { EventLog } from '../../contracts/ports/event-log.ts';
import type { Transactional } from '../../contracts/ports/sql.ts';
import { listDeadLetters, resolveDeadLetter, skipEvents, type DeadLetter, type Resolution } from './dead-letters.sql.ts';
import { admitToInbox, inboxHighWater } from './inbox.sql.ts';
import { lockProjection } from './projection-state.sql.ts';
import type { Projector } from './projector.ts';
import { applyBatch } from './apply-batch.ts';
import { errorMessage } from './poison.ts';
import { passOverSkipped, readSkippedEvents } from './resolved-events.ts';

export interface RetryOutcome {
  readonly dead_letter: DeadLetter;
  /** Resolved: replayed, or skipped because its task was deleted since and the event still fails. */
  readonly ok: boolean;
  readonly resolution?: Resolution;
  readonly error?: string;
}

/** How the projector is fed where it runs: from the log (a checkpoint) or by the bus (an inbox, no checkpoint). */
export type ProjectorFeed = 'log' | 'bus';

/**
 * Applies each dead-lettered event again, in one transaction per dead letter, and resolves it as replayed.
 *
 * Fed by the log, a read model gets the task's events from the dead-lettered one to the end of its stream
 * as the log holds it now, onto what it keeps of the task — never the stream from version 1 again — so a
 * task its owner has fixed since is stored as fixed; its writes are version-guarded, so the live run finds
 * those events applied when it reaches them. Other kinds get the dead-lettered event alone. Fed by the bus
 * (no checkpoint), the read model forgets the task and gets its stream up to the furthest of what its inbox
 * admitted and the dead-lettered event, and those events are admitted, so a late redelivery changes nothing.
 *
 * A dead letter that fails again stays open with its new error — unless its task has been deleted since:
 * then nothing of it is left to show, so the projection forgets the task and every event of its stream is
 * resolved as skipped: every run, a rebuild too, passes over the task, and each ends without it.
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
    const stream = await log.readStream(deadLetter.stream_id);
    try {
      await db.transaction(async (tx) => {
        const state = await lockProjection(tx, projector.name);
        const skipped = await readSkippedEvents(tx, projector.name);
        let events: StoredEvent[];
        switch (feed) {
          case 'log':
            events = stream.filter((e) => (projector.kind === 'read-model' ? e.version >= deadLetter.version : e.version === deadLetter.version));
            break;
          case 'bus': {
            const upTo = Math.max(await inboxHighWater(tx, projector.name, deadLetter.stream_id), deadLetter.version);
            events = stream.filter((e) => e.version <= upTo);
            for (const event of events) await admitToInbox(tx, projector.name, event);
            if (projector.kind === 'read-model' && state.active_table) await projector.forgetStream?.(tx, state.active_table, deadLetter.stream_id);
            break;
          }
          default: {
            const unknown: never = feed;
            throw new Error(`unknown feed ${String(unknown)}`);
          }
        }
        const kept = passOverSkipped(events, skipped);
        if (kept.length > 0) await applyBatch(tx, projector, kept, state.active_table);
        await resolveDeadLetter(tx, deadLetter.id, 'replayed');
      });
      outcomes.push({ dead_letter: deadLetter, ok: true, resolution: 'replayed' });
    } catch (error) {
      const message = errorMessage(error);
      const task = foldWholeStream(stream);
      if (task.kind === 'present' && task.task.deleted_at !== null) {
        const reason = `task deleted since; still failing (${message}): its whole stream skipped`;
        await db.transaction(async (tx) => {
          const state = await lockProjection(tx, projector.name);
          await skipEvents(tx, projector.name, stream, reason);
          if (projector.kind === 'read-model' && state.active_table) await projector.forgetStream?.(tx, state.active_table, deadLetter.stream_id);
        });
        outcomes.push({ dead_letter: deadLetter, ok: true, resolution: 'skipped', error: reason });
        continue;
      }
      await db.query('UPDATE projection_dead_letters SET attempts = attempts + 1, error = $2 WHERE id = $1', [deadLetter.id, message]);
      outcomes.push({ dead_letter: deadLetter, ok: false, error: message });
    }
  }
  return outcomes;
}
