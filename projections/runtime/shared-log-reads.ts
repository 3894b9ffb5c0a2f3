import { checkpointOf, isBefore, sameCheckpoint, type LogCheckpoint, type StoredEvent } from '../../contracts/events/stored-event.ts';
import type { EventLog } from '../../contracts/ports/event-log.ts';
import { parseOnceForAll } from '../../contracts/events/task-events.ts';

/** How many of the latest events read are remembered for the other readers (about 1.5 KB each), and up to a quarter more. */
export const REMEMBERED_EVENTS = 2048;

/**
 * The log readers of one process (every projector, the live feed) are woken by the same appends and read
 * the same events, each after its own checkpoint, which differ as soon as one reader's batch takes longer
 * than another's: without sharing, every event was read and decoded once per reader, more than the rest
 * of a created task's cost in PostgreSQL and the driver together.
 *
 * So the latest events read are remembered, as one run of the log: `start` and the events after it, each
 * the next in log order. The log is gap-safe: what a read after a checkpoint returns is a prefix of what any
 * later read after it returns. So a reader whose checkpoint is in the run (its start, or one of its events)
 * is given the run's events after it, and what a read after the run's end finds then; that read extends the
 * run. A reader whose checkpoint is anywhere else (behind the run, after a restart) reads the log itself.
 *
 * A read of the log joins an identical one in flight, so readers woken together share one. It joins only a
 * read that started after the latest append wake-up: every reader is woken after its append committed, so
 * the read it joins sees at least what a read of its own would have. A read that started earlier (before the
 * wake-up) is not joined: it may stop short of the append the reader was woken for.
 *
 * The events are shared between readers: none may change them (they are readonly throughout).
 */
export function sharedLogReads<L extends Pick<EventLog, 'readLogAfter'>>(
  log: L,
  onAppend: (wake: () => void) => () => void,
  remember: number = REMEMBERED_EVENTS,
): L {
  let wakeups = 0;
  onAppend(() => { wakeups += 1; });
  const inFlight = new Map<string, { readonly wakeups: number; readonly events: Promise<StoredEvent[]> }>();

  const readOnce = (after: LogCheckpoint, limit: number): Promise<StoredEvent[]> => {
    const key = `${after.transaction_id}/${after.position}/${limit}`;
    const flight = inFlight.get(key);
    if (flight && flight.wakeups === wakeups) return flight.events;
    const events = log.readLogAfter(after, limit);
    const started = { wakeups, events };
    inFlight.set(key, started);
    const settle = () => { if (inFlight.get(key) === started) inFlight.delete(key); };
    events.then(settle, settle);
    return events;
  };

  // The remembered run: `start`, then `run[i]` is the event at absolute index `first + i`; `index` finds an
  // event's absolute index by its position (unique to it).
  let start: LogCheckpoint | undefined;
  let run: StoredEvent[] = [];
  let first = 0;
  const index = new Map<number, number>();

  const end = (): LogCheckpoint | undefined => {
    const last = run.at(-1);
    return last ? checkpointOf(last) : start;
  };

  /** Where in the run the events after `after` begin, or -1 when `after` is not in the run. */
  const offsetAfter = (after: LogCheckpoint): number => {
    if (start && sameCheckpoint(after, start)) return 0;
    const at = index.get(after.position);
    if (at === undefined) return -1;
    const offset = at - first;
    const event = run[offset];
    return event && event.transaction_id === after.transaction_id ? offset + 1 : -1;
  };

  /** `events`, read after `after`, extend the run when `after` is in it (a read that began at its end). */
  const extend = (after: LogCheckpoint, events: readonly StoredEvent[]): void => {
    if (!start) {
      start = after;
      run = [];
      first = 0;
    }
    const offset = offsetAfter(after);
    if (offset < 0) return;
    // The run may have grown past `after` meanwhile, from another read after it: by gap-safety the two are
    // prefixes of each other, and only what this one found beyond the run is new.
    const known = run.length - offset;
    for (const event of events.slice(known)) {
      index.set(event.position, first + run.length);
      run.push(event);
      parseOnceForAll(event.data);
    }
    // Dropped a quarter of the bound at a time, not a few events per read: each drop copies the run.
    const excess = run.length - remember;
    if (excess > remember / 4) {
      const dropped = run.slice(0, excess);
      for (const event of dropped) index.delete(event.position);
      const last = dropped.at(-1);
      if (last) start = checkpointOf(last);
      run = run.slice(excess);
      first += excess;
    }
  };

  const readLogAfter = async (after: LogCheckpoint, limit: number): Promise<StoredEvent[]> => {
    const offset = offsetAfter(after);
    if (offset < 0) {
      const events = await readOnce(after, limit);
      // Nothing remembered yet (the first read), or this reader is past the run's end (the run was started
      // by a reader far behind): the run starts again here, where the readers that are ahead will look.
      const last = end();
      if (!last || (offsetAfter(after) < 0 && isBefore(last, after))) {
        start = undefined;
        index.clear();
        extend(after, events);
      }
      return events;
    }
    const remembered = run.slice(offset, offset + limit);
    if (remembered.length === limit) return remembered;
    const from = end();
    if (!from) return readOnce(after, limit);
    const more = await readOnce(from, limit);
    extend(from, more);
    return remembered.concat(more.slice(0, limit - remembered.length));
  };

  return { ...log, readLogAfter };
}
