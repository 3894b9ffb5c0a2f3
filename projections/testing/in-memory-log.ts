import type { StoredEvent } from '../../contracts/events/stored-event.ts';
import type { EventLog } from '../../contracts/ports/event-log.ts';

/** The streams of the given events, as a consumer that folds a task's stream reads them. */
export function inMemoryStreams(events: readonly StoredEvent[]): Pick<EventLog, 'readStream' | 'readStreamPrefixes'> {
  return {
    async readStreamPrefixes(places) {
      const upTo = new Map(places.map((p) => [p.stream_id, p.version]));
      return events
        .filter((e) => e.version <= (upTo.get(e.stream_id) ?? 0))
        .sort((a, b) => (a.stream_id === b.stream_id ? a.version - b.version : a.stream_id < b.stream_id ? -1 : 1));
    },
    async readStream(streamId, options = {}) {
      const from = options.fromVersion ?? 1;
      const to = options.toVersion ?? Number.POSITIVE_INFINITY;
      const stream = events
        .filter((e) => e.stream_id === streamId && e.version >= from && e.version <= to)
        .sort((a, b) => a.version - b.version);
      return options.limit === undefined ? stream : stream.slice(0, options.limit);
    },
  };
}
