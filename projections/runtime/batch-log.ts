import type { Logger } from 'pino';
import type { StoredEvent } from '../../contracts/events/stored-event.ts';
import { eventTraceFields, parseTraceparent } from '../../contracts/trace-context.ts';

/** A batch line names at most this many traces; a bulk import would otherwise make one line of megabytes. */
const MAX_TRACE_IDS = 50;

/**
 * What a projector runtime says about work it committed. `debug`: one line per batch with the distinct
 * trace ids of its events — and `trace_id` itself when they all belong to one trace, the common case of a
 * lightly loaded system, so a search on the field finds it. `trace`: one line per event. Never at `info`:
 * a line per event of every projector would drown the lines that matter (side effects, failures).
 */
export function logAppliedBatch(logger: Logger, projection: string, events: readonly StoredEvent[]): void {
  const first = events[0];
  const last = events.at(-1);
  if (!first || !last || !logger.isLevelEnabled('debug')) return;
  const traceIds = new Set<string>();
  for (const event of events) {
    const trace = parseTraceparent(event.metadata.traceparent);
    if (trace && traceIds.size < MAX_TRACE_IDS) traceIds.add(trace.trace_id);
  }
  const ids = [...traceIds];
  logger.debug({
    projection, events: events.length, first_position: first.position, last_position: last.position, trace_ids: ids,
    ...(ids.length === 1 ? { trace_id: ids[0] } : {}),
  }, 'projection batch applied');
  if (!logger.isLevelEnabled('trace')) return;
  for (const event of events) {
    logger.trace({
      projection, position: event.position, event_id: event.event_id, type: event.type, task_id: event.stream_id,
      version: event.version, ...eventTraceFields(event.metadata.traceparent),
    }, 'projection event applied');
  }
}
