import type { StoredEvent } from '../../contracts/events/stored-event.ts';
import type { Transactional } from '../../contracts/ports/sql.ts';
import { applyBatch } from './apply-batch.ts';
import { createDelivery, deliveryTransaction, type DeliveryObserver, type DeliveryOutcome } from './deliver-event.ts';
import { admitAllToInbox } from './inbox.sql.ts';
import type { Projector } from './projector.ts';
import { readSkippedEvents } from './resolved-events.ts';
import { isTransient } from './transient-error.ts';

/** One answer per event, in the order the events came. */
export type DeliverBatch = (events: readonly StoredEvent[]) => Promise<DeliveryOutcome[]>;

const placeOf = (event: Pick<StoredEvent, 'stream_id' | 'version'>) => `${event.stream_id.toLowerCase()}@${event.version}`;

/**
 * Bus deliveries that came together (Dapr's bulk subscribe: messages of one partition, in its order) applied
 * as one: in ONE transaction the events are admitted to the consumer's inbox by (task id, sequence) in one
 * statement and those admitted now are applied as a batch, so a redelivery, or a copy of an event later in
 * the same delivery, changes nothing. Exactly the single delivery's effects, a transaction per batch rather
 * than per event.
 *
 * A transient failure (the database) answers RETRY for all of them. Any other failure says one event cannot
 * be applied: the batch is rolled back and its events are delivered one at a time, in order, as single
 * deliveries are — tries, dead letter, DROP (projections/runtime/poison.ts). Once one answers RETRY, those
 * after it answer RETRY unapplied: the bus redelivers them behind it, so a task's events stay in order.
 */
export function createBatchDelivery(deps: {
  db: Transactional;
  projector: Projector;
  observer: DeliveryObserver;
  attempts?: number;
  backoffMs?: (attempt: number) => number;
}): DeliverBatch {
  const { db, projector, observer } = deps;
  const consumer = projector.name;
  const deliverOne = createDelivery(deps);

  /** The places admitted now; every other event of the batch was a duplicate. */
  const applyAll = (events: readonly StoredEvent[]) => deliveryTransaction(db, projector, async (tx, state) => {
    const admitted = await admitAllToInbox(tx, consumer, events);
    if (admitted.size === 0) return admitted;
    const skipped = await readSkippedEvents(tx, consumer);
    // The first copy of each admitted place, in delivery order; an operator's skipped events are admitted, not applied.
    const pending = new Set(admitted);
    const fresh = events.filter((event) => pending.delete(placeOf(event)) && !skipped.has(event));
    if (fresh.length > 0) await applyBatch(tx, projector, fresh, state.active_table);
    return admitted;
  });

  return async (events) => {
    if (events.length === 0) return [];
    try {
      const admitted = new Set(await applyAll(events));
      for (const event of events) observer.delivered(consumer, admitted.delete(placeOf(event)) ? 'SUCCESS' : 'DUPLICATE', event);
      return events.map(() => 'SUCCESS');
    } catch (error) {
      if (isTransient(error)) {
        for (const event of events) observer.delivered(consumer, 'RETRY', event, error);
        return events.map(() => 'RETRY');
      }
    }
    const outcomes: DeliveryOutcome[] = [];
    for (const event of events) {
      if (outcomes.at(-1) === 'RETRY') {
        observer.delivered(consumer, 'RETRY', event);
        outcomes.push('RETRY');
      } else {
        outcomes.push(await deliverOne(event));
      }
    }
    return outcomes;
  };
}
