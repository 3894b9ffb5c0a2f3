import type { StoredEvent } from '../../contracts/events/stored-event.ts';
import type { Queryable } from '../../contracts/ports/sql.ts';
import { recordDeadLetter } from './dead-letters.sql.ts';
import type { PoisonPolicy, Projector } from './projector.ts';
import { isTransient } from './transient-error.ts';

export const errorMessage = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * The one answer to "this event cannot be applied", for the log runtime, bus deliveries and rebuilds alike:
 * the event is dead-lettered with the reason, and the projector's policy says whether its run skips it or
 * stops before it. The caller makes either visible.
 */
export async function meetPoison(tx: Queryable, projector: Pick<Projector, 'name' | 'onPoison'>, event: StoredEvent, error: unknown, attempts: number): Promise<PoisonPolicy> {
  await recordDeadLetter(tx, projector.name, event, errorMessage(error), attempts);
  return projector.onPoison;
}

export interface OneByOne {
  /** The event the run stopped before (its policy is stop), if any; every event before it was applied or skipped. */
  readonly stoppedAt?: StoredEvent;
}

/**
 * After a batch failed: applies it again one event at a time, each under a savepoint, and hands the first
 * event that fails to `meetPoison`; a skip policy goes on with the next event, a stop policy ends there. A
 * transient error says nothing about the event and is thrown.
 */
export async function applyOneByOne(
  tx: Queryable,
  projector: Pick<Projector, 'name' | 'onPoison'>,
  events: readonly StoredEvent[],
  apply: (event: StoredEvent) => Promise<void>,
  attempts: number,
  onPoison: (event: StoredEvent, error: unknown, policy: PoisonPolicy) => void,
): Promise<OneByOne> {
  for (const event of events) {
    await tx.query('SAVEPOINT one_event');
    try {
      await apply(event);
      await tx.query('RELEASE SAVEPOINT one_event');
    } catch (error) {
      await tx.query('ROLLBACK TO SAVEPOINT one_event');
      if (isTransient(error)) throw error;
      const policy = await meetPoison(tx, projector, event, error, attempts);
      onPoison(event, error, policy);
      if (policy === 'stop') return { stoppedAt: event };
    }
  }
  return {};
}
