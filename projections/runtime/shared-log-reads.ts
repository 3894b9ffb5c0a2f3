import type { LogCheckpoint, StoredEvent } from '../../contracts/events/stored-event.ts';
import type { EventLog } from '../../contracts/ports/event-log.ts';

/**
 * The log readers of one process (every projector, the live feed) are woken by the same append and then
 * each read the same events after the same checkpoint: one query, and one decoding of the same rows, per
 * reader. Here a read joins an identical read already in flight, so they share one. It joins only a read
 * that started after the latest append wake-up: every reader is woken after its append committed, so the
 * read it joins sees at least what a read of its own would have. A read that started earlier (before the
 * wake-up) is not joined: it may stop short of the append the reader was woken for.
 *
 * The events are shared between readers: none may change them (they are readonly throughout).
 */
export function sharedLogReads<L extends Pick<EventLog, 'readLogAfter'>>(log: L, onAppend: (wake: () => void) => () => void): L {
  let wakeups = 0;
  onAppend(() => { wakeups += 1; });
  const inFlight = new Map<string, { readonly wakeups: number; readonly events: Promise<StoredEvent[]> }>();
  const readLogAfter = (after: LogCheckpoint, limit: number): Promise<StoredEvent[]> => {
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
  return { ...log, readLogAfter };
}
