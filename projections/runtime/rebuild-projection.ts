import { checkpointOf, LOG_START, type LogCheckpoint, type StoredEvent, type StreamEvent } from '../../contracts/events/stored-event.ts';
import type { EventLog } from '../../contracts/ports/event-log.ts';
import { identifier, type Transactional, type TransactionScope } from '../../contracts/ports/sql.ts';
import { listDeadLetters } from './dead-letters.sql.ts';
import { announceProgress, lockProjection, pointView, readProjections, saveCheckpoint } from './projection-state.sql.ts';
import { dropTable, tableVersion, versionedTable, type Projector } from './projector.ts';
import { replayBatches } from './replay-batches.ts';
import { applyOneByOne, errorMessage, meetPoison } from './poison.ts';
import { passOverSkipped, readReplayedEvents, readSkippedEvents } from './resolved-events.ts';
import { isTransient } from './transient-error.ts';

/** Stream-ordered loads run side by side: two PostgreSQL backends busy while Node folds (two cores here). */
const STREAM_LOADERS = 2;

const INDEX_BUILDERS = 2;

/**
 * A rebuild met an event its projector cannot apply and whose policy is to stop: as the live projector
 * would, it stops there (the live table keeps serving), after dead-lettering the event.
 */
export class RebuildStopped extends Error {
  readonly projection: string;
  readonly event: StoredEvent;
  readonly deadLetterId: number | null;
  constructor(projection: string, event: StoredEvent, cause: unknown, deadLetterId: number | null) {
    const letter = deadLetterId === null ? 'ID' : String(deadLetterId);
    super(`rebuild of ${projection} stopped at event ${event.event_id} (task ${event.stream_id}, version ${event.version}, ` +
      `position ${event.position}): ${errorMessage(cause)}. Resolve dead letter ${letter} with ` +
      `\`todo projections retry ${projection} ${letter}\` once the cause is fixed, or \`todo projections dead-letters skip ${letter}\`, ` +
      'then rebuild again', { cause });
    this.name = 'RebuildStopped';
    this.projection = projection;
    this.event = event;
    this.deadLetterId = deadLetterId;
  }
}

export interface RebuildReport {
  readonly projection: string;
  readonly from_table: string;
  readonly to_table: string;
  readonly events: number;
  readonly seconds: number;
}

/**
 * Blue/green rebuild: replays the whole log into a fresh `<base>_v<n+1>` beside the live table, in large
 * batches, while queries keep reading the live one. The swap then takes the projector's row lock (the live
 * runtime waits), applies what arrived meanwhile, points the view and the runtime at the new table and
 * moves the checkpoint and drops the old table, all in one transaction: a swap is whole or not at all, and no
 * table the view no longer reads is left behind.
 *
 * A poison event meets the same policy as in the live projector (poison.ts): events an operator resolved
 * as skipped are passed over; a batch that fails is applied again one event at a time, and the event at
 * fault is dead-lettered, then skipped or, for a projector that stops, ends the rebuild (RebuildStopped).
 */
export async function rebuildProjection(
  db: Transactional,
  log: EventLog,
  projector: Projector,
  options: {
    batchSize?: number;
    onProgress?: (events: number) => void;
    /** Aborts between batches (the service stopping); the half-built table is dropped by the next rebuild. */
    signal?: AbortSignal;
    /** An event dead-lettered on the way (a projector whose policy is to skip it goes on). */
    onDeadLettered?: (event: StoredEvent, error: unknown) => void;
  } = {},
): Promise<RebuildReport> {
  if (projector.kind !== 'read-model') throw new Error(`${projector.name} keeps no table to rebuild`);
  const table = projector.table;
  const batchSize = options.batchSize ?? 5000;
  const started = performance.now();
  const current = (await readProjections(db)).find((p) => p.name === projector.name);
  if (!current?.active_table) throw new Error(`projection ${projector.name} is not registered; start the service once first`);
  const activeAtStart = current.active_table;
  const next = versionedTable(table.base, tableVersion(activeAtStart) + 1);
  const drop = table.drop ?? dropTable;

  // A rebuild that died half-way leaves its table behind; it is never the active one, so start it afresh.
  // Row-by-row applies go into an UNLOGGED table, made durable in one pass before it can go live. A COPY
  // load is WAL-logged as it goes, in multi-row records: measured, that costs less than the rewrite of the
  // whole table into the WAL which SET LOGGED does (2–3 s less work for task-view over 220,000 events).
  const unlogged = table.replay !== 'by-stream' || !(table.load || table.loadWholeEvents);
  await db.transaction(async (tx) => {
    await drop(tx, next);
    await table.create(tx, next);
    if (unlogged) await tx.query(`ALTER TABLE ${identifier(next)} SET UNLOGGED`);
  });

  let checkpoint: LogCheckpoint = LOG_START;
  let events = 0;
  const skipped = await readSkippedEvents(db, projector.name);
  const replayed = await readReplayedEvents(db, projector.name);
  /**
   * One event applied alone; one a retry resolved is applied as the retry did, with the rest of its
   * stream (version-guarded, so those events are no-ops when their turn comes): alone, it may not be
   * storable (an owner's later fix is what made it so), and the rebuild would stop where the live run went on.
   */
  const applyOne = async (tx: TransactionScope, event: StoredEvent): Promise<void> => {
    const events = replayed.has(event) ? passOverSkipped(await log.readStream(event.stream_id, { fromVersion: event.version }), skipped) : [event];
    await projector.apply(tx, events, next);
  };

  /** A batch that fails is applied again one event at a time, as whole events read again by their place. */
  const poisonSafe = async <E extends StreamEvent>(tx: TransactionScope, batch: readonly E[], write: () => Promise<void>): Promise<void> => {
    await tx.query('SAVEPOINT whole_batch');
    try {
      await write();
      await tx.query('RELEASE SAVEPOINT whole_batch');
      return;
    } catch (error) {
      if (isTransient(error)) throw error;
      await tx.query('ROLLBACK TO SAVEPOINT whole_batch');
    }
    let cause: unknown;
    const whole = await log.readEventsAt(batch.map(({ stream_id, version }) => ({ stream_id, version })));
    const { stoppedAt } = await applyOneByOne(tx, projector, whole, (event) => applyOne(tx, event), 1, (event, error) => {
      cause = error;
      options.onDeadLettered?.(event, error);
    });
    if (stoppedAt) throw new RebuildStopped(projector.name, stoppedAt, cause, null);
  };
  const counted = <E extends StreamEvent>(write: (tx: TransactionScope, batch: readonly E[], table: string) => Promise<void>) =>
    async (tx: TransactionScope, batch: readonly E[]): Promise<void> => {
      if (batch.length === 0) return;
      options.signal?.throwIfAborted();
      const kept = passOverSkipped(batch, skipped);
      if (kept.length > 0) await poisonSafe(tx, kept, () => write(tx, kept, next));
      events += batch.length;
      options.onProgress?.(events);
    };
  const applyBatch = counted<StoredEvent>((tx, batch, into) => projector.apply(tx, batch, into));
  // Only a batch read in log order moves the checkpoint: in stream order its last event is not the furthest.
  const applyInLogOrder = async (tx: TransactionScope, batch: readonly StoredEvent[]): Promise<void> => {
    await applyBatch(tx, batch);
    const last = batch.at(-1);
    if (last) checkpoint = checkpointOf(last);
  };

  async function replay(): Promise<string> {
    if (table.replay === 'by-stream') {
      // Everything up to the head read now, stream by stream, in disjoint ranges of stream ids of about equal
      // size, loaded side by side (each row depends on its own stream only, so they never touch the same row);
      // the catch-up below continues in log order from that head.
      const head = await log.readLogHead();
      const cuts = await log.splitStreams(STREAM_LOADERS);
      // Stream ids compare as uuids in SQL and as strings here, which agree for canonical lower-case text.
      const ranges = [null, ...cuts].map((start, i) => ({
        from: start === null ? null : { stream_id: start, version: 0 },
        to: cuts[i] ?? null,
      }));
      const cursor = (after: StreamEvent | null) => (after ? { stream_id: after.stream_id, version: after.version } : null);
      const bulkLoad = table.load;
      const wholeEventsLoad = table.loadWholeEvents;
      await settleAll(ranges.map(({ from, to }) => {
        const inRange = (event: StreamEvent): boolean => to === null || event.stream_id < to;
        if (bulkLoad) {
          return replayBatches(db, {
            batchSize, keep: inRange, wholeStreams: true, apply: counted(bulkLoad),
            read: (after) => log.readStreamPayloadsUpTo(head, cursor(after) ?? from, batchSize),
          });
        }
        return wholeEventsLoad
          ? replayBatches(db, {
            batchSize, keep: inRange, wholeStreams: true, apply: counted(wholeEventsLoad),
            read: (after) => log.readStreamsUpTo(head, cursor(after) ?? from, batchSize),
          })
          : replayBatches(db, {
            batchSize, keep: inRange, apply: applyBatch,
            read: (after) => log.readStreamsUpTo(head, cursor(after) ?? from, batchSize),
          });
      }));
      checkpoint = head;
    } else {
      await replayBatches(db, {
        batchSize, apply: applyInLogOrder,
        read: (after) => log.readLogAfter(after ? checkpointOf(after) : LOG_START, batchSize),
      });
    }
    if (unlogged) await db.query(`ALTER TABLE ${identifier(next)} SET LOGGED`);
    // CREATE INDEX takes a SHARE lock, which does not exclude another CREATE INDEX: two builds side by side.
    const pending = [...(table.indexes?.(next) ?? [])];
    await Promise.all(Array.from({ length: INDEX_BUILDERS }, async () => {
      for (let index = pending.shift(); index !== undefined; index = pending.shift()) await db.query(index);
    }));
    // Statistics before it goes live; otherwise its first queries plan blind until autovacuum comes by.
    await db.query(`ANALYZE ${identifier(next)}`);

    const catchUp = async (tx: TransactionScope): Promise<number> => {
      const batch = await log.readLogAfter(checkpoint, batchSize);
      await applyInLogOrder(tx, batch);
      return batch.length;
    };

    return db.transaction(async (tx) => {
      const locked = await lockProjection(tx, projector.name);
      while ((await catchUp(tx)) > 0);
      // The table now holds what this projector's DDL and code make of the log: its schema version goes live with it.
      await tx.query('UPDATE projections SET active_table = $2, schema_version = $3 WHERE name = $1', [projector.name, next, table.schemaVersion]);
      await saveCheckpoint(tx, projector.name, checkpoint);
      await pointView(tx, table.view, next);
      await announceProgress(tx, projector.name);
      // The table active when the lock was taken (another rebuild may have swapped since this one began).
      const old = locked.active_table ?? activeAtStart;
      if (old !== next) await drop(tx, old);
      return old;
    });
  }

  let replaced: string;
  try {
    replaced = await replay();
  } catch (error) {
    if (!(error instanceof RebuildStopped)) throw error;
    // The batch's transaction rolled back, its dead letter with it: recorded again, on its own.
    await db.transaction((tx) => meetPoison(tx, projector, error.event, error.cause, 1));
    const letter = (await listDeadLetters(db, projector.name)).find((d) => d.event_id === error.event.event_id);
    throw new RebuildStopped(projector.name, error.event, error.cause, letter?.id ?? null);
  }
  return { projection: projector.name, from_table: replaced, to_table: next, events, seconds: (performance.now() - started) / 1000 };
}

/** Promise.all, except that every loader has ended before the first failure is thrown. */
async function settleAll(work: ReadonlyArray<Promise<void>>): Promise<void> {
  const failed = (await Promise.allSettled(work)).find((result) => result.status === 'rejected');
  if (failed) throw failed.reason;
}
