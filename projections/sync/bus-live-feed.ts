import { checkpointOf, isBefore, type LogCheckpoint } from '../../contracts/events/stored-event.ts';
import { ownerListeners } from './owner-listeners.ts';
import type { EventLog } from '../../contracts/ports/event-log.ts';
import type { LiveFeed, TaskChange } from '../../contracts/ports/live-feed.ts';
import { replayChanges } from './live-feed.ts';
import type { Logger } from 'pino';
import { logFanOut } from './fan-out-log.ts';
import { recentlySet } from '../../contracts/recently-set.ts';

/** How many tasks the feed remembers the last fanned-out version of, to pass over redeliveries. */
const REMEMBERED_TASKS = 100_000;

export interface BusLiveFeed extends LiveFeed {
  /** A change from the bus (`task-updates`); redeliveries and stale versions are passed over. */
  receive(change: TaskChange, traceparent: string | null): void;
}

/**
 * The sync side in the dapr transport: fed by the `task-updates` topic instead of reading the log. Each
 * sync instance consumes the topic in a consumer group of its own, so every instance sees every change;
 * a resume is still replayed from the event store, up to the newest change this instance has fanned out.
 */
export async function startBusLiveFeed(deps: { log: EventLog; maxReplayEvents: number; batchSize?: number; logger?: Logger }): Promise<BusLiveFeed> {
  const batchSize = deps.batchSize ?? 500;
  const listeners = ownerListeners();
  const lastVersion = recentlySet<string, number>(REMEMBERED_TASKS);
  let checkpoint: LogCheckpoint = await deps.log.readLogHead();

  return {
    receive(change, traceparent) {
      if ((lastVersion.get(change.task_id) ?? 0) >= change.version) return;
      lastVersion.set(change.task_id, change.version);
      if (isBefore(checkpoint, change)) checkpoint = checkpointOf(change);
      logFanOut(deps.logger, change, traceparent, listeners.fanOut(change));
    },
    checkpoint: () => checkpoint,
    subscribe: (userId, listener) => listeners.subscribe(userId, listener),
    replay: (userId, after, send) => replayChanges({ log: deps.log, maxReplayEvents: deps.maxReplayEvents, batchSize }, checkpoint, userId, after, send),
    async stop() {
      listeners.clear();
    },
  };
}
