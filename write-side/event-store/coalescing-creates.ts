import type { Queryable } from '../../contracts/ports/sql.ts';
import { err, ok, type Result } from '../../domain/common/result.ts';
import { streamVersion } from './append.sql.ts';
import { appendNewStreams, type NewStream } from './append-new-streams.sql.ts';
import type { EventStore } from './event-store.ts';
import type { Appended, VersionConflict } from './types.ts';

type Answer = Result<Appended, VersionConflict>;

interface Waiting extends NewStream {
  readonly answer: (outcome: Promise<Answer>) => void;
}

export interface CoalescingOptions {
  /** Appends of new streams on their way to PostgreSQL at once; the next ones wait and go out together. */
  readonly maxInFlight?: number;
  /** The most new streams one statement appends. */
  readonly maxGroup?: number;
}

/**
 * Creates that arrive while earlier ones are on their way go out together: the first event of a new stream
 * (`no_stream`, one event: a created task) waits while `maxInFlight` appends of new streams are in flight,
 * and the creates that waited are appended in one statement and one commit (append-new-streams.sql.ts)
 * once one of those returns. A create that finds none in flight goes out at once, alone, as before, so an
 * idle service answers as fast as it did; under load a statement, a commit and a round trip are shared by
 * the creates that queued meanwhile. Each stream keeps its own compare-and-set, and every answer is what
 * its own append would have given: if the shared statement fails, each create is appended on its own.
 * Every other append goes straight to the store.
 */
export function coalescingCreates(db: Queryable, store: EventStore, options: CoalescingOptions = {}): EventStore {
  const maxInFlight = options.maxInFlight ?? 1;
  const maxGroup = options.maxGroup ?? 64;
  const queue: Waiting[] = [];
  let inFlight = 0;

  const alone = (w: NewStream): Promise<Answer> => store.append(w.streamId, 'no_stream', [w.event], w.idempotency);

  /** The next group: each stream once (a second create of the same id waits for the next statement). */
  function takeGroup(): Waiting[] {
    const ids = new Set<string>();
    const group: Waiting[] = [];
    const rest: Waiting[] = [];
    for (const w of queue) {
      const id = w.streamId.toLowerCase();
      if (group.length < maxGroup && !ids.has(id)) {
        ids.add(id);
        group.push(w);
      } else {
        rest.push(w);
      }
    }
    queue.splice(0, queue.length, ...rest);
    return group;
  }

  async function send(group: readonly Waiting[]): Promise<void> {
    const [only] = group;
    if (group.length === 1 && only) {
      const answer = alone(only);
      only.answer(answer);
      await answer.catch(() => undefined);
      return;
    }
    let outcomes;
    try {
      outcomes = await appendNewStreams(db, group);
    } catch {
      // Nothing of the statement was appended: each create on its own gets the answer it would have had.
      await Promise.all(group.map((w) => {
        const answer = alone(w);
        w.answer(answer);
        return answer.catch(() => undefined);
      }));
      return;
    }
    group.forEach((w, i) => {
      const outcome = outcomes[i];
      w.answer(outcome
        ? Promise.resolve(ok({ version: 1, position: outcome.position }))
        : streamVersion(db, w.streamId).then((current) => err({ code: 'version_conflict', current_version: current })));
    });
  }

  function pump(): void {
    while (inFlight < maxInFlight && queue.length > 0) {
      const group = takeGroup();
      inFlight += 1;
      void send(group).finally(() => {
        inFlight -= 1;
        pump();
      });
    }
  }

  return {
    ...store,
    append(streamId, expected, events, idempotency) {
      const [event] = events;
      if (expected !== 'no_stream' || events.length !== 1 || !event) return store.append(streamId, expected, events, idempotency);
      return new Promise<Answer>((resolve, reject) => {
        queue.push({ streamId, event, idempotency, answer: (outcome) => { void outcome.then(resolve, reject); } });
        pump();
      });
    },
  };
}
