import { checkpointOf, LOG_START, type LogCheckpoint, type StoredEvent, type StreamEvent } from '../../contracts/events/stored-event.ts';
import type { EventLog } from '../../contracts/ports/event-log.ts';
import { identifier, type Transactional, type TransactionScope } from '../../contracts/ports/sql.ts';
import { announceProgress, lockProjection, pointView, readProjections, saveCheckpoint } from './projection-state.sql.ts';
import { dropTable, tableVersion, versionedTable, type Projector } from './projector.ts';
import { replayBatches } from './replay-batches.ts';

/** Stream-ordered loads run side by side: two PostgreSQL backends busy while Node folds (two cores here). */
const STREAM_LOADERS = 2;

const INDEX_BUILDERS = 2;

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
 * moves the checkpoint, all in one transaction. The old table is dropped after.
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
  } = {},
): Promise<RebuildReport> {
  if (projector.kind !== 'read-model') throw new Error(`${projector.name} keeps no table to rebuild`);
  const table = projector.table;
  const batchSize = options.batchSize ?? 5000;
  const started = performance.now();
  const current = (await readProjections(db)).find((p) => p.name === projector.name);
  if (!current?.active_table) throw new Error(`projection ${projector.name} is not registered; start the service once first`);
  const next = versionedTable(table.base, tableVersion(current.active_table) + 1);
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
  const counted = <E extends StreamEvent>(write: (tx: TransactionScope, batch: readonly E[], table: string) => Promise<void>) =>
    async (tx: TransactionScope, batch: readonly E[]): Promise<void> => {
      if (batch.length === 0) return;
      options.signal?.throwIfAborted();
      await write(tx, batch, next);
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
    await Promise.all(ranges.map(({ from, to }) => {
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

  await db.transaction(async (tx) => {
    await lockProjection(tx, projector.name);
    while ((await catchUp(tx)) > 0);
    // The table now holds what this projector's DDL and code make of the log: its schema version goes live with it.
    await tx.query('UPDATE projections SET active_table = $2, schema_version = $3 WHERE name = $1', [projector.name, next, table.schemaVersion]);
    await saveCheckpoint(tx, projector.name, checkpoint);
    await pointView(tx, table.view, next);
    await announceProgress(tx, projector.name);
  });
  const replaced = current.active_table;
  await db.transaction((tx) => drop(tx, replaced));
  return { projection: projector.name, from_table: current.active_table, to_table: next, events, seconds: (performance.now() - started) / 1000 };
}
