import type { StoredEvent } from '../../contracts/events/stored-event.ts';
import type { Queryable } from '../../contracts/ports/sql.ts';
import { assertNever } from '../../domain/common/result.ts';
import type { Projector } from './projector.ts';
import { wakeLogReadersAtCommit } from './wake-log-readers.sql.ts';

/**
 * Hands a batch to a consumer of any kind, inside the transaction that will store its checkpoint (or
 * inbox rows): a read model gets the transaction and its table, a reactor and the outbox get neither.
 */
export async function applyBatch(tx: Queryable, projector: Projector, events: readonly StoredEvent[], activeTable: string | null): Promise<void> {
  switch (projector.kind) {
    case 'read-model':
      if (!activeTable) throw new Error(`${projector.name} has no active table; it is registered without one`);
      return projector.apply(tx, events, activeTable);
    case 'reactor': {
      const { appended } = await projector.react(events);
      if (appended) await wakeLogReadersAtCommit(tx);
      return;
    }
    case 'outbox':
      return projector.publish(events);
    default:
      return assertNever(projector);
  }
}
