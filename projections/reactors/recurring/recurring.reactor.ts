import type { Logger } from 'pino';
import { parseTaskEvent } from '../../../contracts/events/task-events.ts';
import type { StoredEvent } from '../../../contracts/events/stored-event.ts';
import type { EventLog } from '../../../contracts/ports/event-log.ts';
import type { CommandError, TaskCommands } from '../../../contracts/ports/task-commands.ts';
import { nextOccurrence } from '../../../domain/recurrence/next-occurrence.ts';
import { assertNever } from '../../../domain/common/result.ts';
import { foldWholeStream } from '../../../contracts/events/fold-task-stream.ts';
import type { TaskState } from '../../../domain/task/types.ts';
import { continueTrace, formatTraceparent, traceLogFields } from '../../../contracts/trace-context.ts';
import type { Reactor } from '../../runtime/projector.ts';
import { occurrenceId } from './occurrence-id.ts';
import { PROJECTIONS } from '../../../contracts/projection-names.ts';

export interface RecurringReactorDeps {
  readonly log: Pick<EventLog, 'readStream'>;
  readonly commands: TaskCommands;
  readonly logger: Logger;
}

/** A refusal that a retry could turn into success, as opposed to one the same command always gets. */
function isRetryable(error: CommandError): boolean {
  switch (error.code) {
    // Another writer was appending to the new task's stream at that moment; the retry sees its result.
    case 'version_conflict': return true;
    case 'validation':
    case 'not_found':
    case 'already_exists':
    case 'precondition_failed':
    case 'idempotency_key_reused':
      return false;
    default: return assertNever(error);
  }
}

/**
 * When a recurring task is completed, creates the next task of its series through the command handler.
 * Its id is derived from (series, occurrence), and the handler answers a re-creation of an id by its owner
 * as a replay, so a redelivered completion — or complete, reopen, complete — never makes a second task.
 * Keeps no table: what it has done lives in the event store as the created tasks.
 */
export function createRecurringReactor(deps: RecurringReactorDeps): Reactor {
  const { log, commands, logger } = deps;

  /** The task as it was right after this completion, whatever happened to it since. */
  async function stateAt(event: StoredEvent): Promise<TaskState> {
    return foldWholeStream(await log.readStream(event.stream_id, { toVersion: event.version }));
  }

  /** True when it appended a next task (not when the write side answered an earlier creation again). */
  async function onCompleted(event: StoredEvent): Promise<boolean> {
    const completed = parseTaskEvent(event.type, event.data);
    if (completed?.type !== 'TaskCompleted') return false;
    const state = await stateAt(event);
    if (state.kind !== 'present' || state.task.recurrence === null) return false;
    const task = state.task;
    // This reactor's span of the completion's trace: the next task's creation is its child, in the same trace.
    const span = continueTrace(event.metadata.traceparent);
    const context = { task_id: task.id, event_id: event.event_id, correlation_id: event.metadata.correlation_id, ...traceLogFields(span) };

    const next = nextOccurrence(task, completed.data.completed_at);
    if (next.kind === 'ended') {
      // A stored rule that no longer parses is worth a look; a series reaching its end is not.
      if (next.reason === 'invalid_rule') logger.warn({ ...context, reason: next.reason }, 'recurring series stopped: its rule no longer parses');
      else logger.info({ ...context, reason: next.reason }, 'recurring series ended: no next occurrence');
      return false;
    }
    const nextId = occurrenceId(next.series.series_id, next.series.occurrence);
    const outcome = await commands.handle(
      { type: 'CreateTask', task_id: nextId, user_id: task.user_id, fields: next.fields, series: next.series },
      {
        request_id: null,
        correlation_id: event.metadata.correlation_id,
        causation_id: event.event_id,
        traceparent: formatTraceparent(span),
        user_email: event.metadata.user_email ?? null,
      },
    );
    if (outcome.ok) {
      logger.info({ ...context, next_task_id: nextId, occurrence: next.series.occurrence, replayed: outcome.value.replayed },
        outcome.value.replayed ? 'next occurrence already created' : 'next occurrence created');
      return !outcome.value.replayed;
    }
    if (isRetryable(outcome.error)) throw new Error(`next occurrence ${nextId} of task ${task.id}: ${outcome.error.code}, will retry`);
    // The same command would be refused again: retrying or dead-lettering cannot help, so the series stops here, visibly.
    logger.warn({ ...context, next_task_id: nextId, error: outcome.error }, 'next occurrence refused; the series stops here');
    return false;
  }

  return {
    kind: 'reactor',
    name: PROJECTIONS.recurring,
    // One series that cannot continue must not hold back every other user's.
    onPoison: 'skip',
    paced: true,
    async react(events) {
      // In log order, one at a time: a completion then a reopen and completion of the same task resolve
      // to the same next task, in order.
      let appended = false;
      for (const event of events) if (event.type === 'TaskCompleted' && (await onCompleted(event))) appended = true;
      return { appended };
    },
  };
}
