import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import type { EventLog } from '../../contracts/ports/event-log.ts';
import type { Queryable, Transactional } from '../../contracts/ports/sql.ts';
import { readProjections, registerProjection } from './projection-state.sql.ts';
import { schemaVersionOf, type Projector } from './projector.ts';
import { rebuildProjection } from './rebuild-projection.ts';
import { everyInterval, trackProgress, type RebuildProgress } from './rebuild-progress.ts';

/** A dedicated connection: the rebuild lock is held on it, and closing it releases the lock. */
export interface RebuildSession extends Queryable { close(): Promise<void> }

/** A projection whose active table is of another schema version than its projector declares. */
export interface OwedRebuild {
  readonly projection: string;
  readonly from_version: number;
  readonly to_version: number;
  /** `waiting`: for the rebuild lock, which another instance (or a CLI rebuild) holds while it rebuilds. */
  readonly state: 'waiting' | 'rebuilding' | 'retrying';
  readonly progress?: RebuildProgress;
  readonly error?: string;
}

export interface StartupRebuilds {
  /** The projections not yet at their declared schema version, in the order they are rebuilt. */
  owed(): readonly OwedRebuild[];
  /** Settles once none is owed any more, or the rebuilds were stopped. */
  readonly done: Promise<void>;
  /** Abandons the rebuild in flight between two batches (its half-built table is dropped by the next). */
  stop(): Promise<void>;
}

export interface StartupRebuildDeps {
  readonly db: Transactional;
  readonly log: EventLog;
  /** The projectors this process runs; those with a table are checked. */
  readonly projectors: readonly Projector[];
  readonly openSession: () => Promise<RebuildSession>;
  readonly logger: Logger;
  readonly batchSize?: number;
  readonly logEveryMs?: number;
  readonly lockPollMs?: number;
  readonly retryMs?: number;
}

const rebuildLockKey = (projection: string) => `projection-rebuild:${projection}`;

/**
 * Waits for the projection's rebuild lock on `session` (a session-level advisory lock: it is released when
 * the session closes, also when the process dies). Start-up rebuilds and `todo projections rebuild` both
 * take it, so one projection is rebuilt by one process at a time.
 */
export async function acquireRebuildLock(
  session: Queryable, projection: string,
  options: { pollMs?: number; signal?: AbortSignal; onWaiting?: () => void } = {},
): Promise<void> {
  for (let first = true; ; first = false) {
    const result = await session.query<{ locked: boolean }>('SELECT pg_try_advisory_lock(hashtext($1)) AS locked', [rebuildLockKey(projection)]);
    if (result.rows[0]?.locked) return;
    if (first) options.onWaiting?.();
    await sleep(options.pollMs ?? 250, undefined, options.signal ? { signal: options.signal } : {});
  }
}

/**
 * At start-up, after the migrations: finds the projections whose stored schema version differs from the
 * one their projector declares, and rebuilds each blue/green in the background, one after the other, while
 * the old table answers queries. The decision is taken again under the projection's rebuild lock, so of
 * several instances starting together one rebuilds and the others find the version current. A failed
 * rebuild is tried again after a pause.
 */
export async function rebuildOnStart(deps: StartupRebuildDeps): Promise<StartupRebuilds> {
  const { db, log, logger } = deps;
  const tabled = deps.projectors.filter((projector) => projector.kind === 'read-model');
  for (const projector of tabled) await registerProjection(db, projector);
  const storedVersion = async (name: string) => (await readProjections(db)).find((state) => state.name === name)?.schema_version;
  const stored = new Map((await readProjections(db)).map((state) => [state.name, state.schema_version]));
  const owed = new Map<string, OwedRebuild>();
  const due: Projector[] = [];
  for (const projector of tabled) {
    const from = stored.get(projector.name) ?? 1;
    const to = schemaVersionOf(projector) ?? from;
    if (from === to) continue;
    owed.set(projector.name, { projection: projector.name, from_version: from, to_version: to, state: 'waiting' });
    due.push(projector);
  }
  const abort = new AbortController();
  const { signal } = abort;
  const update = (name: string, change: Partial<OwedRebuild>) => {
    const entry = owed.get(name);
    if (entry) owed.set(name, { ...entry, ...change });
  };

  async function rebuildOnce(projector: Projector, declared: number): Promise<void> {
    const name = projector.name;
    const session = await deps.openSession();
    try {
      await acquireRebuildLock(session, name, {
        signal,
        ...(deps.lockPollMs ? { pollMs: deps.lockPollMs } : {}),
        onWaiting: () => logger.info({ projection: name }, 'waiting for another instance rebuilding the projection'),
      });
      const version = await storedVersion(name);
      if (version === declared) {
        logger.info({ projection: name, schema_version: version }, 'projection already rebuilt by another instance');
        return;
      }
      const head = await log.readLogHead();
      const progress = trackProgress(name, head.position);
      const logNow = everyInterval(deps.logEveryMs ?? 2000);
      update(name, { state: 'rebuilding', progress: progress.current() });
      logger.info({ projection: name, from_version: version, to_version: declared, total: head.position },
        'rebuilding projection for its new schema version; the old table answers queries until the swap');
      const report = await rebuildProjection(db, log, projector, {
        signal,
        ...(deps.batchSize ? { batchSize: deps.batchSize } : {}),
        onProgress: (events) => {
          const now = progress.update(events);
          update(name, { progress: now });
          if (logNow()) logger.info(now, 'rebuilding projection');
        },
      });
      logger.info({ ...report, schema_version: declared }, 'projection rebuilt');
    } finally {
      await session.close();
    }
  }

  const done = (async () => {
    for (const projector of due) {
      const declared = schemaVersionOf(projector) ?? 1;
      while (!signal.aborted) {
        try {
          await rebuildOnce(projector, declared);
          owed.delete(projector.name);
          break;
        } catch (error) {
          if (signal.aborted) return;
          const message = error instanceof Error ? error.message : String(error);
          logger.error({ err: error, projection: projector.name }, 'rebuilding the projection failed; trying again');
          update(projector.name, { state: 'retrying', error: message });
          await sleep(deps.retryMs ?? 5000, undefined, { signal }).catch(() => undefined);
        }
      }
    }
  })();

  return {
    owed: () => [...owed.values()],
    done,
    async stop() {
      abort.abort();
      await done;
    },
  };
}
