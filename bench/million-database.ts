import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { createDb, type Db } from '../gateways/postgres/db.ts';
import { startEmbeddedPostgres } from '../gateways/postgres/embedded.ts';
import { migrate } from '../gateways/postgres/migrate.ts';
import { PROJECTIONS } from '../contracts/projection-names.ts';
import { postgresEventStore } from '../write-side/event-store/event-store.ts';
import { upcastEvent } from '../contracts/events/upcast.ts';
import { loadMillionLog, planKey, type MillionLoadReport, type MillionPlan } from './million-load.ts';
import { startBenchSystem } from './system.ts';

/*
 * The million-task log is loaded once and kept: its PostgreSQL cluster lives in
 * `.cache/bench-million/<plan>/` (or under BENCH_CACHE_DIR), and a run that finds it complete (the
 * `loaded.json` marker, written last) starts that cluster instead of loading again. It takes 8–14 GB
 * of disk; delete the folder to reclaim it or to force a fresh load. BENCH_MILLION_SHARED_BUFFERS (e.g. 2GB)
 * starts the cluster with more buffers than the embedded default, enough to hold the read model (1.3 GB).
 */

const LoadMarker = z.strictObject({
  tasks: z.number(), events: z.number(), insertSeconds: z.number(), indexSeconds: z.number(),
  seconds: z.number(), eventsPerSecond: z.number(), loadedAt: z.string(),
});

export interface MillionDatabase {
  readonly url: string;
  /** The cluster's folder (the postmaster's pid is in `postgres/postmaster.pid`). */
  readonly dir: string;
  readonly db: Db;
  readonly load: MillionLoadReport & { readonly loadedAt: string };
  /** True when the log came from the cache, false when this run loaded it. */
  readonly cached: boolean;
  stop(): Promise<void>;
}

const cacheRoot = (): string => resolve(process.env.BENCH_CACHE_DIR ?? fileURLToPath(new URL('../.cache/bench-million/', import.meta.url)));

/** The projectors rebuilt from the log by the benchmark; every other one is set past the loaded log. */
export const REBUILT = [PROJECTIONS.taskView, PROJECTIONS.audit] as const;

export async function openMillionDatabase(plan: MillionPlan, log: (line: string) => void): Promise<MillionDatabase> {
  const dir = join(cacheRoot(), planKey(plan));
  const markerFile = join(dir, 'loaded.json');
  const cached = existsSync(markerFile);
  if (!cached) {
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
    await chmod(dir, 0o755); // as root the server runs as the postgres user, which must reach the folder
  }
  const sharedBuffers = process.env.BENCH_MILLION_SHARED_BUFFERS;
  const server = await startEmbeddedPostgres(dir, sharedBuffers ? { sharedBuffers } : {});
  const db = createDb(server.localUrl, { max: 8, applicationName: 'todo-bench-million' });
  const stop = async () => {
    await db.close();
    await server.stop();
  };
  try {
    let load: MillionLoadReport & { loadedAt: string };
    if (cached) {
      load = LoadMarker.parse(JSON.parse(await readFile(markerFile, 'utf8')));
    } else {
      await migrate(db);
      // Registers every projector (row, table v1, view) while the log is empty.
      const bench = await startBenchSystem(server.localUrl);
      await bench.close();
      let reported = 0;
      const report = await loadMillionLog(db, plan, {
        loaders: 2, chunk: 5_000,
        onProgress: (tasks) => {
          if (tasks - reported >= 100_000) { reported = tasks; log(`loaded ${tasks.toLocaleString('en-US')} tasks`); }
        },
      });
      // Projectors the benchmark does not rebuild have nothing to do with the loaded log (no reminders, no
      // recurrences in it): they start past it, so their catch-up does not run under the measurements.
      const head = await postgresEventStore(db, upcastEvent).readLogHead();
      await db.query('UPDATE projections SET transaction_id = $1::xid8, position = $2 WHERE NOT (name = ANY($3::text[]))', [head.transaction_id, head.position, [...REBUILT]]);
      load = { ...report, loadedAt: new Date().toISOString() };
      await writeFile(markerFile, `${JSON.stringify(load, null, 2)}\n`);
    }
    return { url: server.localUrl, dir, db, load, cached, stop };
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }
}
