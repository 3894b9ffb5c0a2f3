import { foldTaskStream, versionOf, type FoldStep } from '../../contracts/events/fold-task-stream.ts';
import type { StoredEvent, StreamEvent } from '../../contracts/events/stored-event.ts';
import type { EventLog } from '../../contracts/ports/event-log.ts';
import type { Queryable } from '../../contracts/ports/sql.ts';
import type { Task, TaskState } from '../../domain/task/types.ts';

/** One stream's fold as a read model follows it. */
export interface StreamFolding<E extends StreamEvent, Written> {
  /** Each event the fold applies, in stream order, with the task before and after it. */
  readonly step?: (step: FoldStep<E>) => void;
  /** What to save for the stream, once its new events are folded (null: nothing). */
  done(state: TaskState): Written | null;
}

/**
 * A read model whose every row depends on one task's stream: what it saves per stream, how it loads and
 * saves that, and what it makes of each folded event. The skeleton does the rest the same way for all.
 */
export interface SingleStreamModel<E extends StreamEvent, Saved, Written> {
  /** The saved state of the given streams (those of the batch that start past their creation), for those that have one. */
  load(tx: Queryable, table: string, streams: ReadonlyMap<string, readonly E[]>): Promise<ReadonlyMap<string, Saved>>;
  /** Where a stream's fold starts: its saved task, or (undefined) a task the model has not seen. */
  start(saved: Saved | undefined): TaskState;
  /** One stream's fold onto what is saved of it. */
  fold(streamId: string, saved: Saved | undefined): StreamFolding<E, Written>;
  /** Writes what the batch changed in one go; version-guarded, so a late or repeated save moves nothing back. */
  save(tx: Queryable, table: string, written: readonly Written[]): Promise<void>;
}

/** The events of a batch, stream by stream, in the order they came. */
export function groupByStream<E extends StreamEvent>(events: readonly E[]): Map<string, E[]> {
  const streams = new Map<string, E[]>();
  for (const event of events) {
    const list = streams.get(event.stream_id);
    if (list) list.push(event); else streams.set(event.stream_id, [event]);
  }
  return streams;
}

/**
 * Folds each stream's new events onto its saved state with the one fold of a task stream, which passes
 * over the versions already applied; a stream whose version did not move has nothing to save. So a batch
 * applied twice, or split anywhere, leaves the same rows.
 */
export function foldStreams<E extends StreamEvent, Saved, Written>(
  model: SingleStreamModel<E, Saved, Written>,
  streams: ReadonlyMap<string, readonly E[]>,
  saved: ReadonlyMap<string, Saved>,
): Written[] {
  const written: Written[] = [];
  for (const [streamId, events] of streams) {
    const before = saved.get(streamId);
    const start = model.start(before);
    const folding = model.fold(streamId, before);
    const end = foldTaskStream(start, events, folding.step);
    if (versionOf(end) <= versionOf(start)) continue;
    const done = folding.done(end);
    if (done !== null) written.push(done);
  }
  return written;
}

/**
 * The streams of a batch whose events start past their creation: only these can have something saved
 * before the batch. A stream whose batch begins at its creation (every stream, under a create load) has
 * nothing saved but what an earlier application of the same events wrote, and the fold from nothing
 * writes the same again, which the version guards pass over.
 */
export function resumedStreams<E extends StreamEvent>(streams: ReadonlyMap<string, readonly E[]>): ReadonlyMap<string, readonly E[]> {
  const resumed = new Map<string, readonly E[]>();
  for (const [streamId, events] of streams) if ((events[0]?.version ?? 1) > 1) resumed.set(streamId, events);
  return resumed;
}

/**
 * What the log holds of each given stream before its batch's first event, stream by stream, in one read for
 * all of them: where a model starts the streams it keeps nothing of. A stream whose batch begins at its
 * creation has nothing before it and is not read. The read runs in the batch's transaction (`tx`): a batch
 * that held one pooled connection and waited for another could wait forever once every connection is held
 * by such a batch (a bus-fed service takes as many deliveries at once as its sidecar sends).
 */
export async function readBeforeBatch<E extends StreamEvent>(
  log: Pick<EventLog, 'readStreamPrefixes'>,
  tx: Queryable,
  streams: Iterable<readonly [string, readonly E[]]>,
): Promise<Map<string, StoredEvent[]>> {
  const places = [...streams]
    .map(([stream_id, events]) => ({ stream_id, version: (events[0]?.version ?? 1) - 1 }))
    .filter((place) => place.version > 0);
  return places.length > 0 ? groupByStream(await log.readStreamPrefixes(places, tx)) : new Map();
}

/**
 * Whether a read model keeps a task's state beside its rows: only once the task has changed since its
 * creation. A task with only its creation is one event to read back when it changes (`readBeforeBatch`),
 * which costs less than writing a state for every task created (ADR 0043).
 */
export function keepsStateOf(task: Task): boolean {
  return task.version > 1;
}

/** The task states a batch's writes keep, by task id (those without one keep none). */
export function keptStates<S>(written: readonly { readonly taskId: string; readonly state: S | null }[]): Array<readonly [string, S]> {
  return written.flatMap((w) => (w.state === null ? [] : [[w.taskId, w.state] as const]));
}

/** A single-stream read model's `apply`: group by stream, load what is saved of the resumed ones, fold, save. */
export function applySingleStream<E extends StreamEvent, Saved, Written>(
  model: SingleStreamModel<E, Saved, Written>,
): (tx: Queryable, events: readonly E[], table: string) => Promise<void> {
  return async (tx, events, table) => {
    const streams = groupByStream(events);
    const resumed = resumedStreams(streams);
    const saved = resumed.size > 0 ? await model.load(tx, table, resumed) : new Map<string, Saved>();
    const written = foldStreams(model, streams, saved);
    if (written.length > 0) await model.save(tx, table, written);
  };
}
