import type { EventLog } from '../contracts/ports/event-log.ts';
import type { Queryable } from '../contracts/ports/sql.ts';
import { ListTasksQuery } from '../contracts/queries.ts';
import { listTasks, type TaskPageRequest } from '../read-api/tasks/list-tasks.sql.ts';
import { pageRequestOf } from '../read-api/tasks/page-request.ts';
import type { KindSpec } from './load.ts';
import { cpuPerRequest, sampleProcessCpu, type CpuPerRequest } from './process-cpu.ts';
import { runBounded, type Throughput } from './stats.ts';

/*
 * The raw baseline of the list mix: the statements `GET /api/tasks` sends to PostgreSQL for each request of
 * the mix (a cursor's anchor look-up, then the page's query, as the route builds them), for the same users,
 * paths and cursors, sent through the pg driver by concurrent workers with no HTTP, auth or JSON answer —
 * what a page would cost if the service were nothing but its SQL. CPU from /proc as the HTTP figure's.
 */

export interface RawListResult {
  readonly run: Throughput;
  readonly cpu: CpuPerRequest;
}

interface RawVariant { readonly user: string; readonly query: ListTasksQuery }

/** A path's query string as fastify's parser gives it to the route: a repeated key as an array. */
function queryOf(path: string): ListTasksQuery {
  const params = new URL(path, 'http://localhost').searchParams;
  const raw: Record<string, string | string[]> = {};
  for (const key of new Set(params.keys())) {
    const values = params.getAll(key);
    raw[key] = values.length === 1 ? (values[0] ?? '') : values;
  }
  return ListTasksQuery.parse(raw);
}

export async function measureRawList(
  deps: { readonly db: Queryable; readonly log: Pick<EventLog, 'readStream'> },
  mix: readonly KindSpec[],
  options: { readonly workers: number; readonly seconds: number; readonly warmupSeconds: number; readonly postmaster: number },
): Promise<RawListResult> {
  const kinds: RawVariant[][] = mix.map((kind) => kind.variants.map((variant) => ({ user: variant.user, query: queryOf(variant.path) })));
  // Each worker cycles through the kinds in order and picks a variant at random, as each HTTP connection does.
  const next = Array.from({ length: options.workers }, (_, worker) => worker % kinds.length);
  const page = async (worker: number): Promise<void> => {
    const at = next[worker] ?? 0;
    next[worker] = (at + 1) % kinds.length;
    const variants = kinds[at] ?? [];
    const variant = variants[Math.floor(Math.random() * variants.length)];
    if (!variant) throw new Error('a kind of the list mix has no variant');
    const request: TaskPageRequest | null = await pageRequestOf(deps, variant.user, variant.query, new Date().toISOString());
    if (!request) throw new Error(`the route would refuse the cursor of ${variant.user}'s request`);
    await listTasks(deps.db, request);
  };
  const limits = { concurrency: options.workers, maxOps: 500_000 };
  await runBounded({ ...limits, seconds: options.warmupSeconds }, page);
  const before = sampleProcessCpu(options.postmaster);
  const run = await runBounded({ ...limits, seconds: options.seconds }, page);
  return { run, cpu: cpuPerRequest(before, sampleProcessCpu(options.postmaster), run.ops) };
}
