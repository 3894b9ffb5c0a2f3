import { checkpointOf, type LogCheckpoint } from '../../contracts/events/stored-event.ts';
import type { EventLog } from '../../contracts/ports/event-log.ts';
import { logWakeups } from './log-wakeups.ts';
import type { TailConsumer } from './projector.ts';

export interface TailRuntimeDeps {
  readonly log: Pick<EventLog, 'readLogAfter' | 'readLogHead'>;
  readonly consumer: TailConsumer;
  /** Subscribes to append notifications; returns the unsubscribe function. */
  readonly onAppend: (wake: () => void) => () => void;
  /** A failed read or batch: reported, then tried again after the next wait. */
  readonly onError: (error: unknown) => void;
  /** Where it starts; by default the head of the log when it starts. */
  readonly from?: LogCheckpoint;
  readonly batchSize?: number;
  readonly idlePollMs?: number;
}

export interface TailRuntime {
  readonly name: string;
  /** The last log point the consumer has taken in. */
  checkpoint(): LogCheckpoint;
  /** Stops after the batch in flight. */
  stop(): Promise<void>;
}

/**
 * The runtime's in-memory mode: reads the log gap-safely in batches after its own checkpoint, woken by
 * NOTIFY with the same quick re-reads and slow poll as the checkpointed runtime, and keeps the checkpoint
 * in memory only.
 */
export async function startTail(deps: TailRuntimeDeps): Promise<TailRuntime> {
  const { log, consumer } = deps;
  const batchSize = deps.batchSize ?? 500;
  const idlePollMs = deps.idlePollMs ?? 1000;
  let checkpoint = deps.from ?? await log.readLogHead();
  let stopped = false;
  const wakeups = logWakeups(deps.onAppend);

  const loop = (async () => {
    while (!stopped) {
      try {
        const events = await log.readLogAfter(checkpoint, batchSize);
        const last = events.at(-1);
        if (last) {
          await consumer.consume(events);
          checkpoint = checkpointOf(last);
        }
        if (events.length === batchSize) continue;
      } catch (error) {
        deps.onError(error);
      }
      if (!stopped) await wakeups.rest(idlePollMs);
    }
  })();

  return {
    name: consumer.name,
    checkpoint: () => checkpoint,
    async stop() {
      stopped = true;
      wakeups.wake();
      await loop;
      wakeups.close();
    },
  };
}
