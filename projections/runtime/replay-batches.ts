import type { StreamEvent } from '../../contracts/events/stored-event.ts';
import type { Transactional, TransactionScope } from '../../contracts/ports/sql.ts';

export interface ReplayPlan<E extends StreamEvent> {
  readonly batchSize: number;
  /** The batch after `after` (null: from the start), at most `batchSize` events. */
  read(after: E | null): Promise<E[]>;
  /** Applies a batch in its own transaction. */
  apply(tx: TransactionScope, batch: readonly E[]): Promise<void>;
  /** Events past the end of the range: the first one refused ends the replay. */
  readonly keep?: (event: E) => boolean;
  /**
   * Hold a batch's last stream back until that stream ends (it may go on in the next batch), so every
   * apply sees each of its streams from the first event read to the last. For stream-ordered reads.
   */
  readonly wholeStreams?: boolean;
}

/**
 * A rebuild's bulk phase: reads batch after batch and applies each in a transaction, reading the next
 * batch while the current one is applied, so Node and PostgreSQL work side by side.
 */
export async function replayBatches<E extends StreamEvent>(db: Transactional, plan: ReplayPlan<E>): Promise<void> {
  let held: E[] = [];
  let reading = plan.read(null);
  for (let ended = false; !ended;) {
    const batch = await reading;
    const last = batch.at(-1);
    const kept = plan.keep ? batch.filter(plan.keep) : batch;
    // A batch that is short or ran past the end of its range is the last one.
    ended = !last || batch.length < plan.batchSize || kept.length < batch.length;
    reading = last && !ended ? plan.read(last) : Promise.resolve([]);
    reading.catch(() => undefined); // a failed read surfaces when it is awaited
    let ready = held.length > 0 ? [...held, ...kept] : kept;
    held = [];
    if (plan.wholeStreams && !ended) {
      const streamId = ready.at(-1)?.stream_id;
      const start = ready.findIndex((event) => event.stream_id === streamId);
      held = ready.slice(start);
      ready = ready.slice(0, start);
    }
    if (ready.length > 0) await db.transaction((tx) => plan.apply(tx, ready));
  }
}
