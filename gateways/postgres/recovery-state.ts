import type { Queryable } from '../../contracts/ports/sql.ts';

export type ReplayPauseState = 'not paused' | 'pause requested' | 'paused';

/** Why a server still in recovery cannot serve Todo: it accepts no writes. */
export class InRecoveryError extends Error {
  readonly pauseState: ReplayPauseState;
  constructor(where: string, pauseState: ReplayPauseState, embedded: boolean) {
    super(
      `${where} is still in recovery (pg_is_in_recovery, WAL replay ${pauseState}), so it is read-only and Todo cannot start on it. `
      + (pauseState === 'not paused'
        ? 'It is replaying WAL (a standby, or a restore still under way): wait for it to finish, or promote it. '
        : 'A point-in-time restore stopped at its target and waits to be told the data is right. ')
      + (embedded
        ? 'Check the data, then promote it with `todo promote` (same DATA_DIR) and start again; or restore another backup.'
        : 'Check the data, then promote it (`todo promote` with this DATABASE_URL runs SELECT pg_promote(), '
          + 'or use your provider\'s promote) and start again.'),
    );
    this.name = 'InRecoveryError';
    this.pauseState = pauseState;
  }
}

export async function replayPauseState(db: Queryable): Promise<ReplayPauseState | null> {
  const result = await db.query<{ state: ReplayPauseState | null }>(
    'SELECT CASE WHEN pg_is_in_recovery() THEN pg_get_wal_replay_pause_state() END AS state');
  return result.rows[0]?.state ?? null;
}

/** Throws InRecoveryError when the server is in recovery. */
export async function assertNotInRecovery(db: Queryable, where: string, embedded: boolean): Promise<void> {
  const state = await replayPauseState(db);
  if (state !== null) throw new InRecoveryError(where, state, embedded);
}

/** Ends recovery (pg_promote, waiting up to a minute); false when the server was not in recovery. */
export async function promote(db: Queryable): Promise<boolean> {
  if ((await replayPauseState(db)) === null) return false;
  const result = await db.query<{ promoted: boolean }>('SELECT pg_promote(true, 60) AS promoted');
  if (result.rows[0]?.promoted !== true) throw new Error('PostgreSQL did not finish promoting within 60 s; see its log');
  return true;
}
