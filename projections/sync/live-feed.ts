import { checkpointOf, isBefore, LOG_START } from '../../contracts/events/stored-event.ts';
import type { EventLog } from '../../contracts/ports/event-log.ts';
import type { LiveFeed, ReplayOutcome, TaskChange } from '../../contracts/ports/live-feed.ts';
import type { LogCheckpoint } from '../../contracts/events/stored-event.ts';
import { ownerListeners } from './owner-listeners.ts';
import { taskChangeOf } from './task-change.ts';
import type { Logger } from 'pino';
import { logFanOut } from './fan-out-log.ts';

/**
 * The sync side: tails the log from its head when the process starts — every instance sees every event,
 * there is no shared checkpoint — and fans each change out to the connections of the task's owner.
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
  let checkpoint = await log.readLogHead();
  let stopped = false;
  let pending = false;
  // As in the projector runtime: after a wake-up, re-read quickly a few times, because an append can sit
  // behind an older open transaction whose end sends no notification.
  let fastPollsLeft = 0;
  let wakeIdle: (() => void) | undefined;
  const unsubscribe = deps.onAppend(() => { pending = true; fastPollsLeft = 7; wakeIdle?.(); });
  const idle = (ms: number) => new Promise<void>((resolve) => {
    if (pending) { pending = false; resolve(); return; }
    const timer = setTimeout(() => { wakeIdle = undefined; resolve(); }, ms);
    wakeIdle = () => { clearTimeout(timer); wakeIdle = undefined; pending = false; resolve(); };
  });


  const loop = (async () => {
    while (!stopped) {
      try {
        const events = await log.readLogAfter(checkpoint, batchSize);
        for (const event of events) {
          const change = await taskChangeOf(log, event);
          checkpoint = checkpointOf(event);
          if (change) logFanOut(deps.logger, change, event.metadata.traceparent, listeners.fanOut(change));
        }
        if (events.length === batchSize) continue;
      } catch (error) {
        deps.onError(error);
      }
      if (fastPollsLeft > 0) {
        fastPollsLeft -= 1;
        await idle(5 * 2 ** (6 - fastPollsLeft));
        continue;
      }
      await idle(deps.idlePollMs ?? 1000);
    }
  })();

  return {
    checkpoint: () => checkpoint,
    subscribe: (userId, listener) => listeners.subscribe(userId, listener),
    replay: (userId, after, send) => replayChanges({ log, maxReplayEvents: deps.maxReplayEvents, batchSize }, checkpoint, userId, after, send),
    async stop() {
      stopped = true;
      wakeIdle?.();
      await loop;
      unsubscribe();
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
  let cursor = from;
  for (;;) {
    const events = await log.readLogAfter(cursor, batchSize);
    for (const event of events) {
      if (isBefore(upTo, event)) return { kind: 'replayed', upTo };
      cursor = checkpointOf(event);
      const change = await taskChangeOf(log, event);
      if (change && change.owner === userId) send(change);
    }
    if (events.length < batchSize) return { kind: 'replayed', upTo };
  }
}
