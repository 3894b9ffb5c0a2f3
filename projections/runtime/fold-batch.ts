import { foldTaskStream, foldWholeStream, versionOf, type FoldStep } from '../../contracts/events/fold-task-stream.ts';
import type { StoredEvent } from '../../contracts/events/stored-event.ts';
import type { EventLog, StreamCursor } from '../../contracts/ports/event-log.ts';
import type { TaskState } from '../../domain/task/types.ts';
import { groupByStream } from './single-stream.ts';
import { recentlySet, type RecentlySet } from '../../contracts/recently-set.ts';
import { initialState } from '../../domain/task/evolve.ts';

/**
 * How many task states a reader that folds every change (the live feed, the relay) remembers. The tasks
 * changed most recently are the ones changed next; a task past the bound costs one stream read in the
 * batch of its next change. A state takes about 1 KB of heap (100,000 of them measured 96 MiB): 20,000
 * keep a reader's share near 20 MB, so a busy write load cannot crowd out the memory that 10,000 open
 * sockets need within 500 MB.
 */
export const REMEMBERED_TASK_STATES = 20_000;

/**
 * The last task states a reader folded, most recent last, so that the next change of a task continues
 * from its state instead of reading its stream again; bounded, the least recently changed go first.
 */
export function taskStates(capacity: number = REMEMBERED_TASK_STATES): RecentlySet<string, TaskState> {
  return recentlySet<string, TaskState>(capacity);
}

export type TaskStates = RecentlySet<string, TaskState>;

/** Whether a stream's events in a batch (in version order) follow each other with no version missing. */
function contiguous(events: readonly StoredEvent[]): boolean {
  return events.every((event, i) => event.version === (events[0]?.version ?? 0) + i);
}

/**
 * Each task event of a batch folded with the one fold, with the task before and after it: what readers
 * that tell the world about every change (the live feed, the relay) need. A stream continues from its
 * remembered state when that stands just before its first event here; the histories of all the others
 * come from the log in one read (none for a task created in the batch), never one read per change. Should
 * a stream's versions in the batch not follow each other (log order is commit order, and a later version's
 * transaction can come first), each of its events folds onto its own prefix of the stream instead. The
 * states are remembered only once the whole batch is folded, so a batch that failed half way is folded
 * afresh. Events that fold nothing (not task events, or versions folded already) have no step.
 */
export async function foldBatch(
  log: Pick<EventLog, 'readStreamPrefixes'>,
  events: readonly StoredEvent[],
  remembered: TaskStates,
): Promise<Map<StoredEvent, FoldStep<StoredEvent>>> {
  const streams = [...groupByStream(events)].map(([streamId, list]) => [streamId, [...list].sort((a, b) => a.version - b.version)] as const);
  // Where each in-order stream starts without a read: its creation, or the state remembered just before it.
  const starts = new Map<string, TaskState>();
  const places: StreamCursor[] = [];
  for (const [stream_id, list] of streams) {
    const first = list[0]?.version ?? 1;
    const known = remembered.get(stream_id);
    if (!contiguous(list)) places.push({ stream_id, version: list.at(-1)?.version ?? first });
    else if (first === 1) starts.set(stream_id, initialState);
    else if (known && versionOf(known) === first - 1) starts.set(stream_id, known);
    else places.push({ stream_id, version: first - 1 });
  }
  const history = places.length > 0 ? groupByStream(await log.readStreamPrefixes(places)) : new Map<string, StoredEvent[]>();

  const steps = new Map<StoredEvent, FoldStep<StoredEvent>>();
  const record = (step: FoldStep<StoredEvent>) => { steps.set(step.stored, step); };
  const ended = new Map<string, TaskState>();
  for (const [streamId, list] of streams) {
    const earlier = history.get(streamId) ?? [];
    if (contiguous(list)) {
      ended.set(streamId, foldTaskStream(starts.get(streamId) ?? foldWholeStream(earlier), list, record));
      continue;
    }
    for (const event of list) foldTaskStream(foldWholeStream(earlier.filter((e) => e.version < event.version)), [event], record);
    ended.set(streamId, foldWholeStream(earlier));
  }
  for (const [streamId, state] of ended) remembered.set(streamId, state);
  return steps;
}
