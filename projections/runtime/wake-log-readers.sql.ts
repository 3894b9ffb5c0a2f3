import { APPENDS_CHANNEL } from '../../contracts/ports/event-log.ts';
import type { Queryable } from '../../contracts/ports/sql.ts';

/**
 * A reactor (recurring) appends through commands while its batch transaction is open, and log readers
 * never pass an open transaction: they are woken by the append's NOTIFY, find nothing readable yet, and
 * would wait for their slow poll. The runtime notifies the append channel from the batch transaction when
 * the reactor appended, which wakes them again at its commit, when the new tasks have become readable.
 */
export async function wakeLogReadersAtCommit(tx: Queryable): Promise<void> {
  await tx.query(`SELECT pg_notify('${APPENDS_CHANNEL}', '')`);
}
