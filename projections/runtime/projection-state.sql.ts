import type { LogCheckpoint } from '../../contracts/events/stored-event.ts';
import { identifier, type Queryable } from '../../contracts/ports/sql.ts';
import { schemaVersionOf, versionedTable, type Projector } from './projector.ts';
import { ASYNC_COMMIT } from './async-commit.sql.ts';

export interface ProjectionState {
  readonly name: string;
  readonly active_table: string | null;
  /** The DDL version the active table was built with (see `Projector.table.schemaVersion`). */
  readonly schema_version: number;
  readonly checkpoint: LogCheckpoint;
  readonly updated_at: string;
}

interface StateRow {
  name: string; active_table: string | null; schema_version: number; transaction_id: string; position: number; updated_at: Date;
  [column: string]: unknown;
}

const COLUMNS = `name, active_table, schema_version, transaction_id::text AS transaction_id, position::float8 AS position, updated_at`;

const toState = (row: StateRow): ProjectionState => ({
  name: row.name,
  active_table: row.active_table,
  schema_version: row.schema_version,
  checkpoint: { transaction_id: row.transaction_id, position: row.position },
  updated_at: row.updated_at.toISOString(),
});

/**
 * The projector's state, locked until the transaction ends: batches, retries and swaps queue here. The lock
 * is a transaction-level advisory lock rather than FOR UPDATE, because a row lock assigns the transaction an
 * id at once, and every open transaction id holds back what log readers may see (pg_snapshot_xmin).
 */
export async function lockProjection(tx: Queryable, name: string, options: { readonly commitAsynchronously?: boolean } = {}): Promise<ProjectionState> {
  // The lock takes a statement of its own: the row must be read by a statement that starts once it is held.
  // A batch's asynchronous commit (async-commit.sql.ts) is set in the same round trip.
  if (options.commitAsynchronously === true) {
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext($1)), ${ASYNC_COMMIT}`, [`projection-state:${name}`], { name: 'lock-projection-async-commit' });
  } else {
    await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`projection-state:${name}`]);
  }
  const result = await tx.query<StateRow>(`SELECT ${COLUMNS} FROM projections WHERE name = $1`, [name], { name: 'read-projection-state' });
  const row = result.rows[0];
  if (!row) throw new Error(`projection ${name} is not registered`);
  return toState(row);
}

export async function readCheckpoint(db: Queryable, name: string): Promise<LogCheckpoint> {
  const result = await db.query<{ transaction_id: string; position: number }>(
    'SELECT transaction_id::text AS transaction_id, position::float8 AS position FROM projections WHERE name = $1', [name]);
  return result.rows[0] ?? { transaction_id: '0', position: 0 };
}

export async function readProjections(db: Queryable): Promise<ProjectionState[]> {
  const result = await db.query<StateRow>(`SELECT ${COLUMNS} FROM projections ORDER BY name`);
  return result.rows.map(toState);
}

export async function saveCheckpoint(tx: Queryable, name: string, checkpoint: LogCheckpoint): Promise<void> {
  await tx.query(
    `UPDATE projections SET transaction_id = $2::xid8, position = $3, updated_at = now() WHERE name = $1`,
    [name, checkpoint.transaction_id, checkpoint.position],
  );
}

/** Readers waiting for read-your-writes listen on this channel; the payload names the projection. */
export const PROJECTION_CHANNEL = 'todo_projections';

/** Stores a batch's checkpoint and announces it at commit, in one round trip: the end of every batch. */
export async function saveCheckpointAndAnnounce(tx: Queryable, name: string, checkpoint: LogCheckpoint): Promise<void> {
  await tx.query(
    `UPDATE projections SET transaction_id = $2::xid8, position = $3, updated_at = now() WHERE name = $1
     RETURNING pg_notify('${PROJECTION_CHANNEL}', $1)`,
    [name, checkpoint.transaction_id, checkpoint.position],
    { name: 'save-checkpoint-and-announce' },
  );
}

export async function announceProgress(tx: Queryable, name: string): Promise<void> {
  await tx.query(`SELECT pg_notify('${PROJECTION_CHANNEL}', $1)`, [name]);
}

/** Registers a projector on first start: its row and, for table-backed ones, table v1 and the view. */
export async function registerProjection(db: Queryable & { transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> }, projector: Projector): Promise<void> {
  await db.transaction(async (tx) => {
    // Serialises first starts of the same projector in several processes.
    await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`register:${projector.name}`]);
    const existing = await tx.query('SELECT 1 FROM projections WHERE name = $1', [projector.name]);
    if (existing.rowCount) return;
    let table: string | null = null;
    if (projector.kind === 'read-model') {
      table = versionedTable(projector.table.base, 1);
      await projector.table.create(tx, table);
      for (const index of projector.table.indexes?.(table) ?? []) await tx.query(index);
      await pointView(tx, projector.table.view, table);
    }
    await tx.query('INSERT INTO projections (name, active_table, schema_version) VALUES ($1, $2, $3)',
      [projector.name, table, schemaVersionOf(projector) ?? 1]);
  });
}

export async function pointView(tx: Queryable, view: string, table: string): Promise<void> {
  await tx.query(`DROP VIEW IF EXISTS ${identifier(view)}`);
  await tx.query(`CREATE VIEW ${identifier(view)} AS SELECT * FROM ${identifier(table)}`);
}
