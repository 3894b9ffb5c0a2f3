import { randomUUID } from 'node:crypto';
import { newTimeOrderedId } from '../time-ordered-id.ts';
import { CURRENT_SCHEMA_VERSION } from '../../contracts/events/upcast.ts';
import { foldWholeStream } from '../../contracts/events/fold-task-stream.ts';
import { isPgError, PG_UNIQUE_VIOLATION } from '../../contracts/ports/sql.ts';
import { decide } from '../../domain/task/decide.ts';
import { err, ok } from '../../domain/common/result.ts';
import type { TaskEvent, TaskState } from '../../domain/task/types.ts';
import type {
  CommandAccepted, CommandContext, CommandError, CommandInput, CommandOutcome, TaskCommands,
} from '../../contracts/ports/task-commands.ts';
import type { EventStore } from '../event-store/event-store.ts';
import type { RememberedResult } from '../event-store/idempotency.sql.ts';
import type { EventMetadata, NewEvent, StoredEvent } from '../event-store/types.ts';

export type { CommandAccepted, CommandContext, CommandError, CommandInput, CommandOutcome };

/** The write side's port (contracts/ports/task-commands.ts), implemented here. */
export type CommandHandler = TaskCommands;

export interface CommandObserver { eventsAppended(events: readonly NewEvent[]): void }

/** The answer of an optimistic decision that needs the stream read after all. */
const STREAM_NEEDED = Symbol('stream needed');

interface LoadedStream { readonly state: TaskState; readonly events: readonly StoredEvent[] }

/** Rebuilds the task's state from its own stream: the only state a decision is made on. */
export async function loadTask(store: EventStore, taskId: string): Promise<LoadedStream> {
  const events = await store.readStream(taskId);
  return { state: foldWholeStream(events), events };
}

const answer = (task_id: string, version: number, position: number, replayed: boolean): CommandOutcome =>
  ok({ task_id, version, position, replayed });

function fromRemembered(remembered: RememberedResult, requestHash: string): CommandOutcome {
  if (remembered.request_hash !== requestHash) return err({ code: 'idempotency_key_reused' });
  return answer(remembered.stream_id, remembered.version, remembered.position, true);
}

/**
 * Re-creating a task under the client's own id answers the first result, whether the first create finished
 * before this one loaded or won the race to the append: creation is idempotent.
 */
function firstCreation(loaded: LoadedStream, userId: string): CommandOutcome | null {
  const first = loaded.events[0];
  if (loaded.state.kind !== 'present' || loaded.state.task.user_id !== userId || !first) return null;
  return answer(first.stream_id, first.version, first.position, true);
}

/**
 * load stream → decide → append at the loaded version. Commands never touch read models; a concurrent
 * writer between load and append surfaces as a version conflict, never as a lost update.
 */
export function createCommandHandler(deps: {
  store: EventStore;
  clock?: () => Date;
  observer?: CommandObserver;
}): CommandHandler {
  const clock = deps.clock ?? (() => new Date());
  const observer = deps.observer ?? { eventsAppended: () => undefined };
  const { store } = deps;

  return {
    async handle(command, context) {
      const userId = command.user_id;
      const idempotency = context.idempotency;
      if (idempotency) {
        const remembered = await store.findRememberedResult(userId, idempotency.key);
        if (remembered) return fromRemembered(remembered, idempotency.request_hash);
      }

      // A new task's stream is almost always empty: decide on that without reading it, and read it only if
      // the append finds the stream there after all (or the decision fails, so the answer is as if it had
      // been read first).
      if (command.type === 'CreateTask' && context.expected_version === undefined) {
        const optimistic = await decideAndAppend(command, context, { state: foldWholeStream([]), events: [] }, true);
        if (optimistic !== STREAM_NEEDED) return optimistic;
      }
      const outcome = await decideAndAppend(command, context, await loadTask(store, command.task_id), false);
      if (outcome === STREAM_NEEDED) throw new Error('unreachable: a decision on a read stream needs no other');
      return outcome;
    },
  };

  async function decideAndAppend(
    command: Parameters<CommandHandler['handle']>[0],
    context: CommandContext,
    loaded: LoadedStream,
    assumedEmpty: boolean,
  ): Promise<CommandOutcome | typeof STREAM_NEEDED> {
    const userId = command.user_id;
    const idempotency = context.idempotency;
    const { state, events: history } = loaded;
    const last = history.at(-1);
    const currentVersion = state.kind === 'present' ? state.task.version : 0;

    const created = command.type === 'CreateTask' ? firstCreation({ state, events: history }, userId) : null;
    if (created) return created;
    if (context.expected_version !== undefined && context.expected_version !== currentVersion) {
      // A version the client cannot have seen for a task it cannot see is still just "not found".
      if (state.kind === 'absent' || state.task.user_id !== userId) return err({ code: 'not_found', task_id: command.task_id });
      return err({ code: 'precondition_failed', current_version: currentVersion });
    }

    const decided = decide({ ...command, now: clock().toISOString() }, state);
    if (!decided.ok) return assumedEmpty ? STREAM_NEEDED : decided;
    if (decided.value.length === 0) {
      const result: RememberedResult = {
        request_hash: idempotency?.request_hash ?? '',
        status: 200,
        stream_id: command.task_id,
        version: currentVersion,
        position: last?.position ?? 0,
      };
      if (idempotency) await store.rememberResult(userId, idempotency.key, result);
      return answer(command.task_id, currentVersion, result.position, false);
    }

    const metadata: EventMetadata = {
      user_id: userId,
      correlation_id: context.correlation_id ?? context.request_id ?? randomUUID(),
      causation_id: context.causation_id,
      traceparent: context.traceparent,
      idempotency_key: idempotency?.key ?? null,
      request_id: context.request_id,
      user_email: context.user_email ?? null,
    };
    const newEvents = decided.value.map((event: TaskEvent): NewEvent => ({
      event_id: newTimeOrderedId(),
      type: event.type,
      schema_version: CURRENT_SCHEMA_VERSION[event.type] ?? 1,
      data: event.data,
      metadata,
    }));
    try {
      const appended = await store.append(
        command.task_id,
        currentVersion === 0 ? 'no_stream' : currentVersion,
        newEvents,
        idempotency && { user_id: userId, key: idempotency.key, request_hash: idempotency.request_hash, status: command.type === 'CreateTask' ? 201 : 200 },
      );
      if (!appended.ok) {
        if (assumedEmpty) return STREAM_NEEDED;
        // A parallel retry of the same key may be the writer that won: answer what it got.
        const remembered = idempotency && (await store.findRememberedResult(userId, idempotency.key));
        if (remembered) return fromRemembered(remembered, idempotency.request_hash);
        // So may a parallel create of the same client-chosen id.
        const createdMeanwhile = command.type === 'CreateTask' ? firstCreation(await loadTask(store, command.task_id), userId) : null;
        return createdMeanwhile ?? err(appended.error);
      }
      observer.eventsAppended(newEvents);
      return answer(command.task_id, appended.value.version, appended.value.position, false);
    } catch (error) {
      // The same key raced us and won: answer what it got.
      if (idempotency && isPgError(error, PG_UNIQUE_VIOLATION)) {
        const remembered = await store.findRememberedResult(userId, idempotency.key);
        if (remembered) return fromRemembered(remembered, idempotency.request_hash);
      }
      throw error;
    }
  }
}
