import type { StoredEvent, StreamEvent } from '../../contracts/events/stored-event.ts';
import { identifier, type Queryable, type TransactionScope } from '../../contracts/ports/sql.ts';

/** What to do with an event that keeps failing after its retries. */
export type PoisonPolicy = 'skip' | 'stop';

/** The kinds of log consumer the runtime runs; the runtime tells them apart by `kind`. */
export type Projector = ReadModelProjection | Reactor | Outbox;

interface LogConsumer {
  readonly name: string;
  readonly onPoison: PoisonPolicy;
  /**
   * Nobody waits on it from one moment to the next (history, reminders, a next occurrence), so under a busy
   * log the runtime applies it in fewer, larger batches, at most one per `PROJECTION_PACE_MS` (batch-pace.ts,
   * ADR 0046). task-view is not paced: read-your-writes and the web app wait on it.
   */
  readonly paced?: true;
}

/** Where a read model keeps its rows: a versioned table (`<base>_v<n>`) behind a view. */
export interface ProjectionTable {
  readonly base: string;
  /**
   * The version of the DDL below: raise it with any change to what `create`, `indexes` or the rows
   * written mean, and the service rebuilds the table blue/green at its next start.
   */
  readonly schemaVersion: number;
  /** The view queries read; it points at the active table. */
  readonly view: string;
  create(tx: Queryable, table: string): Promise<void>;
  /**
   * The secondary indexes (one CREATE INDEX statement each), kept apart from `create` so that a rebuild
   * can load the table first and index it once at the end — several times faster than maintaining every
   * index row by row — building two at a time.
   */
  indexes?: (table: string) => readonly string[];
  /**
   * Drops one version (if it exists) with whatever `create` made beside it; a rebuild calls it for the
   * table it replaces. Without it, the table alone is dropped.
   */
  drop?: (tx: Queryable, table: string) => Promise<void>;
  /**
   * `by-stream`: every row this projection writes depends on one stream's events alone, in that stream's
   * order, so a rebuild may replay the log stream by stream and write each row once. Without it the
   * rebuild replays in log order.
   */
  readonly replay?: 'by-stream';
  /**
   * With `by-stream`: writes the rows of whole streams (each from its first event, in stream order) into
   * a fresh table that holds none of them yet, so it needs no look-up of existing rows and no conflict
   * handling. A rebuild calls it for the settled part of the log, read without metadata (`StreamEvent`);
   * without it, `apply` is called with whole events.
   */
  readonly load?: (tx: TransactionScope, events: readonly StreamEvent[], table: string) => Promise<void>;
  /** `load` for a projection whose rows need what only whole events carry (metadata, ids, times); read with them. */
  readonly loadWholeEvents?: (tx: TransactionScope, events: readonly StoredEvent[], table: string) => Promise<void>;
}

/**
 * A read model: applies a batch of log events to its own tables, inside the runtime's transaction, which
 * also stores the checkpoint. It is given the transaction and its active table, and nothing that acts on
 * the world. It must be idempotent (the same batch applied twice leaves the same rows), which a
 * per-stream version guard gives (see single-stream.ts).
 */
export interface ReadModelProjection extends LogConsumer {
  readonly kind: 'read-model';
  readonly table: ProjectionTable;
  apply(tx: Queryable, events: readonly StoredEvent[], table: string): Promise<void>;
  /**
   * Drops what the projection holds for one stream, so a retry of a dead letter can replay the whole
   * stream; projections that key by event id need none (replaying is a no-op for what they have).
   */
  forgetStream?(tx: Queryable, table: string, streamId: string): Promise<void>;
}

/**
 * A reactor: answers events by issuing commands to the write side, through the command port it was built
 * with. It gets no transaction and no table: what it has done lives in the event store, and a redelivered
 * batch must lead to the same commands, which the write side answers as replays.
 */
export interface Reactor extends LogConsumer {
  readonly kind: 'reactor';
  /** Reacts to a batch in log order; `appended` when a command appended events (log readers are woken at commit). */
  react(events: readonly StoredEvent[]): Promise<{ readonly appended: boolean }>;
}

/**
 * The outbox: publishes the log to the bus. It gets no transaction and no table; `publish` returns once
 * the bus acknowledged every message of the batch, and only then is the checkpoint saved.
 */
export interface Outbox extends LogConsumer {
  readonly kind: 'outbox';
  publish(events: readonly StoredEvent[]): Promise<void>;
}

/**
 * A tail: follows the log in memory from where it started, with no checkpoint table and no leadership —
 * every instance sees every event (the live feed). The tail runtime (run-tail.ts) runs it; it keeps no
 * state in the database, issues no commands and publishes nothing.
 */
export interface TailConsumer {
  readonly kind: 'tail';
  readonly name: string;
  /** Takes a batch in log order; the tail moves past it once this resolved, and reads it again if it threw. */
  consume(events: readonly StoredEvent[]): Promise<void>;
}

/** The schema version of a read model's table; other kinds keep no table and have none. */
export function schemaVersionOf(projector: Projector): number | undefined {
  return projector.kind === 'read-model' ? projector.table.schemaVersion : undefined;
}

/** What a projector without its own `drop` needs: the versioned table alone. */
export async function dropTable(tx: Queryable, table: string): Promise<void> {
  await tx.query(`DROP TABLE IF EXISTS ${identifier(table)}`);
}

export function versionedTable(base: string, version: number): string {
  return `${base}_v${version}`;
}

export function tableVersion(table: string): number {
  const match = /_v(\d+)$/.exec(table);
  return match ? Number.parseInt(match[1] ?? '0', 10) : 0;
}
