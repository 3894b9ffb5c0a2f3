import { APPENDS_CHANNEL } from '../../contracts/ports/event-log.ts';
import type { Queryable } from '../../contracts/ports/sql.ts';

/**
 * Tells other processes' log readers to look, in its own tiny transaction after the appends committed. The
 * payload names the announcing process (`origin`), so that its own listener can pass over what it was
 * told already: its readers were woken at once (append-announcer.ts).
 * A NOTIFY holds a cluster-wide lock from its pre-commit until its commit record is flushed; sent inside
 * the append it would keep appends from sharing a WAL flush (measured: 24 % of the raw INSERT rate at 16
 * writers, ADR 0009). Here it commits asynchronously: the notification carries no data, and one lost in a
 * crash is covered by the readers' safety poll.
 */
export async function notifyAppended(db: Queryable, origin?: string): Promise<void> {
  if (origin === undefined) {
    await db.query(`SELECT set_config('synchronous_commit', 'off', true), pg_notify('${APPENDS_CHANNEL}', '')`, [], { name: 'notify-appended' });
    return;
  }
  await db.query(`SELECT set_config('synchronous_commit', 'off', true), pg_notify('${APPENDS_CHANNEL}', $1)`, [origin], { name: 'notify-appended-from' });
}
