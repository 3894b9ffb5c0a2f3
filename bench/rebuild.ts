import type { EventLog } from '../contracts/ports/event-log.ts';
import type { Queryable, Transactional } from '../contracts/ports/sql.ts';
import { upcastEvent } from '../contracts/events/upcast.ts';
import type { Db } from '../gateways/postgres/db.ts';
import type { Projector } from '../projections/runtime/projector.ts';
import { rebuildProjection, type RebuildReport } from '../projections/runtime/rebuild-projection.ts';
import { createTaskViewProjection } from '../projections/read-models/task-view/task-view.projection.ts';
import { postgresEventStore } from '../write-side/event-store/event-store.ts';

export interface RebuildResult {
  readonly report: RebuildReport;
  readonly eventsPerSecond: number;
  readonly rows: number;
  /** Where the rebuild's wall time went, in seconds. */
  readonly split: {
    /** The gap-safe log read, rows decoded into events (SQL and driver); it may overlap the apply. */
    readonly readLog: number;
    /** The projector's SQL: the COPY of whole tasks' rows (encoded by Node as they stream), and the catch-up's upserts. */
    readonly projectorSql: number;
    /** The projector in Node before its SQL: zod parse, evolve, derived columns, the values of each row. */
    readonly projectorNode: number;
    /** Building the secondary indexes. */
    readonly createIndexes: number;
    /** ANALYZE of the new table before it goes live. */
    readonly analyze: number;
  };
}

/**
 * Times `todo projections rebuild task-view`: the whole log into a fresh table, then the swap, through the
 * production rebuild, with the log, the projector and its SQL timed from outside.
 */
export async function measureRebuild(db: Db): Promise<RebuildResult> {
  const spent = { readLog: 0, apply: 0, applySql: 0, createIndexes: 0, analyze: 0 };
  let applying = 0;
  const timedQueries = (q: Queryable): Queryable => ({
    async query(text, params) {
      const started = performance.now();
      try {
        return await q.query(text, params);
      } finally {
        const elapsed = performance.now() - started;
        if (applying > 0) spent.applySql += elapsed;
        else if (/^\s*CREATE INDEX/i.test(text)) spent.createIndexes += elapsed;
        else if (/^\s*ANALYZE/i.test(text)) spent.analyze += elapsed;
      }
    },
  });
  const timedDb: Transactional = {
    ...timedQueries(db),
    transaction: (work) => db.transaction((tx) => work({
      ...timedQueries(tx),
      async copyRows(table, columns, rows) {
        const started = performance.now();
        try {
          await tx.copyRows(table, columns, rows);
        } finally {
          if (applying > 0) spent.applySql += performance.now() - started;
        }
      },
    })),
  };
  const store = postgresEventStore(db, upcastEvent);
  const timedRead = <A extends unknown[], R>(read: (...args: A) => Promise<R>) => async (...args: A): Promise<R> => {
    const started = performance.now();
    try {
      return await read(...args);
    } finally {
      spent.readLog += performance.now() - started;
    }
  };
  const log: EventLog = {
    ...store,
    readLogAfter: timedRead((after, limit) => store.readLogAfter(after, limit)),
    readStreamsUpTo: timedRead((upTo, after, limit) => store.readStreamsUpTo(upTo, after, limit)),
    readStreamPayloadsUpTo: timedRead((upTo, after, limit) => store.readStreamPayloadsUpTo(upTo, after, limit)),
  };
  const timedApply = async (work: () => Promise<void>): Promise<void> => {
    const started = performance.now();
    applying += 1;
    try {
      await work();
    } finally {
      applying -= 1;
      spent.apply += performance.now() - started;
    }
  };
  const taskViewProjection = createTaskViewProjection(log);
  const { table } = taskViewProjection;
  const load = table?.load;
  const projector: Projector = {
    ...taskViewProjection,
    ...(table && load ? { table: { ...table, load: (tx, events, into) => timedApply(() => load(tx, events, into)) } } : {}),
    apply: (tx, events, into) => timedApply(() => taskViewProjection.apply(tx, events, into)),
  };

  const report = await rebuildProjection(timedDb, log, projector);
  const rows = await db.query<{ count: number }>('SELECT count(*)::float8 AS count FROM task_view');
  return {
    report,
    eventsPerSecond: report.events / report.seconds,
    rows: rows.rows[0]?.count ?? 0,
    split: {
      readLog: spent.readLog / 1000,
      projectorSql: spent.applySql / 1000,
      projectorNode: (spent.apply - spent.applySql) / 1000,
      createIndexes: spent.createIndexes / 1000,
      analyze: spent.analyze / 1000,
    },
  };
}
