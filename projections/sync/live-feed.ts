import { checkpointOf, isBefore, LOG_START } from '../../contracts/events/stored-event.ts';
import type { EventLog } from '../../contracts/ports/event-log.ts';
import type { LiveFeed, ReplayOutcome, TaskChange } from '../../contracts/ports/live-feed.ts';
import type { LogCheckpoint } from '../../contracts/events/stored-event.ts';
import { PROJECTIONS } from '../../contracts/projection-names.ts';
import { ownerListeners } from './owner-listeners.ts';
import { taskChangesOf } from './task-changes.ts';
import { taskStates } from '../runtime/fold-batch.ts';
import type { Logger } from 'pino';
import { logFanOut } from './fan-out-log.ts';
import { startTail } from '../runtime/run-tail.ts';

/**
 * The sync side: a tail of the log from its head when the process starts — every instance sees every
 * event, there is no shared checkpoint — that fans each change out to the connections of the task's owner.
 */
export async function startLiveFeed(deps: {
  log: EventLog;
  onAppend: (wake: () => void) => () => void;
  maxReplayEvents: number;
  batchSize?: number;
  idlePollMs?: number;
  onError: (error: unknown) => void;
  logger?: Logger;
}): Promise<LiveFeed> {
  const { log } = deps;
  const batchSize = deps.batchSize ?? 500;
  const listeners = ownerListeners();
  const remembered = taskStates();
  const tail = await startTail({
    log,
    onAppend: deps.onAppend,
    onError: deps.onError,
    batchSize,
    ...(deps.idlePollMs === undefined ? {} : { idlePollMs: deps.idlePollMs }),
    consumer: {
      kind: 'tail',
      name: PROJECTIONS.sync,
      async consume(events) {
        for (const { change, event } of await taskChangesOf(log, events, remembered)) {
          logFanOut(deps.logger, change, event.metadata.traceparent, listeners.fanOut(change));
        }
      },
    },
  });

  return {
    checkpoint: () => tail.checkpoint(),
    subscribe: (userId, listener) => listeners.subscribe(userId, listener),
    replay: (userId, after, send) => replayChanges({ log, maxReplayEvents: deps.maxReplayEvents, batchSize }, tail.checkpoint(), userId, after, send),
    async stop() {
      await tail.stop();
    },
  };
}

/**
 * A user's changes after `after` up to `upTo`, folded from the event store: how a client resumes, whichever
 * way the feed itself is fed (the log, or the bus).
 */
export async function replayChanges(
  deps: { log: EventLog; maxReplayEvents: number; batchSize: number },
  upTo: LogCheckpoint,
  userId: string,
  after: number,
  send: (change: TaskChange) => void,
): Promise<ReplayOutcome> {
  const { log, batchSize } = deps;
  const from = after === 0 ? LOG_START : await log.checkpointAt(after);
  if (!from) return { kind: 'reset', upTo };
  if ((await log.countAfter(from, deps.maxReplayEvents + 1)) > deps.maxReplayEvents) return { kind: 'reset', upTo };
  // The replay's own memory of task states: a resume reads each task's stream once, not once per change.
  const remembered = taskStates(deps.maxReplayEvents);
  let cursor = from;
  for (;;) {
    const events = await log.readLogAfter(cursor, batchSize);
    const reached = events.findIndex((event) => isBefore(upTo, event));
    const inRange = reached === -1 ? events : events.slice(0, reached);
    for (const { change } of await taskChangesOf(log, inRange, remembered)) if (change.owner === userId) send(change);
    const last = inRange.at(-1);
    if (last) cursor = checkpointOf(last);
    if (reached !== -1 || events.length < batchSize) return { kind: 'replayed', upTo };
  }
}
