import type { StoredEvent } from '../../contracts/events/stored-event.ts';
import type { Queryable } from '../../contracts/ports/sql.ts';

export interface DeadLetter {
  readonly id: number;
  readonly projection: string;
  readonly event_id: string;
  readonly stream_id: string;
  readonly version: number;
  readonly position: number;
  readonly type: string;
  readonly error: string;
  readonly attempts: number;
  readonly created_at: string;
}

export async function recordDeadLetter(tx: Queryable, projection: string, event: StoredEvent, error: string, attempts: number): Promise<void> {
  await tx.query(
    `INSERT INTO projection_dead_letters (projection, event_id, stream_id, version, position, transaction_id, type, error, attempts)
     VALUES ($1, $2, $3, $4, $5, $6::xid8, $7, $8, $9)
     ON CONFLICT (projection, event_id) DO UPDATE
       SET error = excluded.error, attempts = excluded.attempts, resolved_at = NULL, resolution = NULL`,
    [projection, event.event_id, event.stream_id, event.version, event.position, event.transaction_id, event.type, error.slice(0, 4000), attempts],
  );
}

export async function listDeadLetters(db: Queryable, projection?: string): Promise<DeadLetter[]> {
  const result = await db.query<DeadLetter & { created_at: Date }>(
    `SELECT id::float8 AS id, projection, event_id, stream_id, version::float8 AS version, position::float8 AS position,
            type, error, attempts, created_at
       FROM projection_dead_letters
      WHERE resolved_at IS NULL AND ($1::text IS NULL OR projection = $1)
      ORDER BY projection, position`,
    [projection ?? null],
  );
  return result.rows.map((row) => ({ ...row, created_at: row.created_at.toISOString() }));
}

export async function countDeadLetters(db: Queryable): Promise<Map<string, number>> {
  const result = await db.query<{ projection: string; n: number }>(
    `SELECT projection, count(*)::int AS n FROM projection_dead_letters WHERE resolved_at IS NULL GROUP BY projection`,
  );
  return new Map(result.rows.map((row) => [row.projection, row.n]));
}

/**
 * `replayed`: a retry applied the event. `skipped`: an operator chose to pass over it, and every run of the
 * projector passes over it from now on (see resolved-events.ts).
 */
export type Resolution = 'replayed' | 'skipped';

export async function resolveDeadLetter(tx: Queryable, id: number, resolution: Resolution): Promise<void> {
  await tx.query('UPDATE projection_dead_letters SET resolved_at = now(), resolution = $2 WHERE id = $1', [id, resolution]);
}

/** Marks dead letters skipped, open or resolved alike; answers those that exist, with their projection. */
export async function skipDeadLetters(db: Queryable, ids: readonly number[]): Promise<Array<Pick<DeadLetter, 'id' | 'projection' | 'stream_id' | 'version'>>> {
  const result = await db.query<Pick<DeadLetter, 'id' | 'projection' | 'stream_id' | 'version'>>(
    `UPDATE projection_dead_letters SET resolved_at = coalesce(resolved_at, now()), resolution = 'skipped'
      WHERE id = ANY($1::bigint[])
      RETURNING id::float8 AS id, projection, stream_id, version::float8 AS version`,
    [ids],
  );
  return result.rows;
}

/** Records events as dead letters resolved as skipped at once: a retry's answer for the rest of a deleted task. */
export async function skipEvents(tx: Queryable, projection: string, events: readonly StoredEvent[], reason: string): Promise<void> {
  for (const event of events) {
    await tx.query(
      `INSERT INTO projection_dead_letters (projection, event_id, stream_id, version, position, transaction_id, type, error, attempts, resolved_at, resolution)
       VALUES ($1, $2, $3, $4, $5, $6::xid8, $7, $8, 0, now(), 'skipped')
       ON CONFLICT (projection, event_id) DO UPDATE SET resolved_at = now(), resolution = 'skipped'`,
      [projection, event.event_id, event.stream_id, event.version, event.position, event.transaction_id, event.type, reason.slice(0, 4000)],
    );
  }
}

/** The places (stream, version) of this projection's dead letters resolved so. */
export async function resolvedPlaces(db: Queryable, projection: string, resolution: Resolution): Promise<Array<{ stream_id: string; version: number }>> {
  const result = await db.query<{ stream_id: string; version: number }>(
    'SELECT stream_id, version::float8 AS version FROM projection_dead_letters WHERE projection = $1 AND resolution = $2',
    [projection, resolution],
  );
  return result.rows;
}

/** Whether this projection has an open dead letter past its checkpoint: what a stopped projector waits on. */
export async function isStopped(db: Queryable, projection: string): Promise<boolean> {
  const result = await db.query(
    `SELECT 1 FROM projection_dead_letters d JOIN projections p ON p.name = d.projection
      WHERE d.projection = $1 AND d.resolved_at IS NULL AND (d.transaction_id, d.position) > (p.transaction_id, p.position)
      LIMIT 1`,
    [projection],
  );
  return (result.rowCount ?? 0) > 0;
}

/** Where a projector stands stopped: the open dead letter its checkpoint has not passed. */
export interface StoppedAt {
  readonly projection: string;
  readonly stream_id: string;
  readonly event_id: string;
  readonly position: number;
  readonly error: string;
}

/**
 * The projectors stopped at a poison event, read from the database so every instance sees the same: an open
 * dead letter after the checkpoint (in log order) is one a `stop` projector halted before, where a `skip`
 * projector moves its checkpoint past the letter. The earliest such letter per projection.
 */
export async function stoppedProjections(db: Queryable): Promise<StoppedAt[]> {
  const result = await db.query<StoppedAt>(
    `SELECT DISTINCT ON (d.projection) d.projection, d.stream_id, d.event_id, d.position::float8 AS position, d.error
       FROM projection_dead_letters d JOIN projections p ON p.name = d.projection
      WHERE d.resolved_at IS NULL AND (d.transaction_id, d.position) > (p.transaction_id, p.position)
      ORDER BY d.projection, d.transaction_id, d.position`,
  );
  return result.rows;
}
