import { setTimeout as sleep } from 'node:timers/promises';
import type { StoredEvent } from '../../contracts/events/stored-event.ts';
import type { Transactional, TransactionScope } from '../../contracts/ports/sql.ts';
import { admitToInbox } from './inbox.sql.ts';
import { lockProjection } from './projection-state.sql.ts';
import { schemaVersionOf, type Projector } from './projector.ts';
import { applyBatch } from './apply-batch.ts';
import { isTransient } from './transient-error.ts';
import { meetPoison } from './poison.ts';
import { readSkippedEvents } from './resolved-events.ts';

/** The answers Dapr understands from a subscriber: done, deliver again later, or give up on it. */
export type DeliveryOutcome = 'SUCCESS' | 'RETRY' | 'DROP';

export interface DeliveryObserver {
  delivered(consumer: string, outcome: DeliveryOutcome | 'DUPLICATE', event: StoredEvent, error?: unknown): void;
}

export type DeliverEvent = (event: StoredEvent) => Promise<DeliveryOutcome>;

/**
 * The projector's state, locked for a delivery's transaction (single or bulk). When the active table has
 * another schema version than this code writes (a rebuild at start-up), the delivery is answered later:
 * a transient error, so RETRY.
 */
export async function lockForDelivery(tx: TransactionScope, projector: Projector) {
  const state = await lockProjection(tx, projector.name);
  const schemaVersion = schemaVersionOf(projector);
  if (schemaVersion !== undefined && state.schema_version !== schemaVersion) {
    throw Object.assign(new Error(`${projector.name} is being rebuilt for schema version ${schemaVersion}`), { transient: true });
  }
  return state;
}

/** Per database and projector, the last of this process's deliveries in line (`deliveryTransaction`). */
const lines = new WeakMap<Transactional, Map<string, Promise<unknown>>>();

/**
 * A delivery's transaction with the projector's state locked (`lockForDelivery`), begun once this process's
 * earlier deliveries to the same projector have ended. They would take that lock in turn anyway; in line
 * here first, they hold one pooled connection between them instead of one each while they wait. So a
 * delivery that needs a second connection (the recurring reactor's command, a read through the pool) finds
 * one free however many deliveries the sidecar sends at once, where with every connection held by a
 * waiting delivery it would wait for ever.
 */
export function deliveryTransaction<T>(
  db: Transactional,
  projector: Projector,
  work: (tx: TransactionScope, state: Awaited<ReturnType<typeof lockForDelivery>>) => Promise<T>,
): Promise<T> {
  let byProjector = lines.get(db);
  if (!byProjector) {
    byProjector = new Map();
    lines.set(db, byProjector);
  }
  const line = byProjector;
  const run = (line.get(projector.name) ?? Promise.resolve()).then(() => db.transaction(async (tx) => work(tx, await lockForDelivery(tx, projector))));
  const last = run.then(() => undefined, () => undefined);
  line.set(projector.name, last);
  void last.then(() => { if (line.get(projector.name) === last) line.delete(projector.name); });
  return run;
}

/**
 * A bus delivery to a projector: in ONE transaction, the event is admitted to the consumer's inbox by
 * (task id, sequence) and applied, so a redelivery finds its inbox row and changes nothing. The projector's
 * state lock serialises deliveries of one projector across partitions and instances, as batches are in the
 * log transport. A transient failure (the database) answers RETRY; an event that fails a few times in a row
 * for any other reason is poison: dead-lettered (`todo projections dead-letters|retry`) and DROPped, visibly; one
 * an operator resolved as skipped is admitted and passed over.
 */
export function createDelivery(deps: {
  db: Transactional;
  projector: Projector;
  observer: DeliveryObserver;
  attempts?: number;
  backoffMs?: (attempt: number) => number;
}): DeliverEvent {
  const { db, projector, observer } = deps;
  const consumer = projector.name;
  const attempts = deps.attempts ?? 3;
  const backoff = deps.backoffMs ?? ((attempt: number) => 100 * 2 ** (attempt - 1));

  const applyOnce = (event: StoredEvent) => deliveryTransaction(db, projector, async (tx, state) => {
    if (!(await admitToInbox(tx, consumer, event))) return false;
    // An event an operator resolved as skipped is admitted and passed over, as every other run does.
    if ((await readSkippedEvents(tx, consumer)).has(event)) return true;
    await applyBatch(tx, projector, [event], state.active_table);
    return true;
  });

  return async (event) => {
    let lastError: unknown;
    for (let attempt = 1; attempt <= attempts; attempt += 1) {
      try {
        const applied = await applyOnce(event);
        observer.delivered(consumer, applied ? 'SUCCESS' : 'DUPLICATE', event);
        return 'SUCCESS';
      } catch (error) {
        if (isTransient(error)) {
          observer.delivered(consumer, 'RETRY', event, error);
          return 'RETRY';
        }
        lastError = error;
        if (attempt < attempts) await sleep(backoff(attempt));
      }
    }
    try {
      // Whatever the policy, the bus cannot hold one event back: the dead letter is what stops it being lost.
      await db.transaction((tx) => meetPoison(tx, projector, event, lastError, attempts));
    } catch (error) {
      // Not even the dead letter could be written: let the bus deliver it again rather than lose it silently.
      observer.delivered(consumer, 'RETRY', event, error);
      return 'RETRY';
    }
    observer.delivered(consumer, 'DROP', event, lastError);
    return 'DROP';
  };
}
