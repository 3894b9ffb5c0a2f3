import type { Logger } from 'pino';
import type { TaskChange } from '../../contracts/ports/live-feed.ts';
import { eventTraceFields } from '../../contracts/trace-context.ts';

/**
 * One debug line per change a sync instance fanned out, under the change's trace id: "did my client get
 * it?" is answered by the trace id and the number of connections it reached. Debug, not info: every sync
 * instance sees every change.
 */
export function logFanOut(logger: Logger | undefined, change: TaskChange, traceparent: string | null, connections: number): void {
  logger?.debug({
    task_id: change.task_id, version: change.version, position: change.position, event_type: change.event_type, connections,
    ...eventTraceFields(traceparent),
  }, 'task change fanned out');
}
