import { z } from 'zod';
import { HEAVY_USER, userName } from './bulk-load.ts';
import { explainListQueries, type ExplainedQuery } from './explain.ts';
import { runLoad, type KindSpec, type LoadResult } from './load.ts';
import type { BenchSystem } from './system.ts';

/*
 * GET /api/tasks latency over the rebuilt read model: a mix of query kinds, each asked for the heavy user
 * (20 000 tasks) and for random ordinary users (100 tasks each). Every connection cycles through the
 * kinds; within a kind the user and the parameter value are picked at random.
 */

export interface ListLatencyResult {
  readonly rows: number;
  readonly heavyRows: number;
  readonly levels: readonly LoadResult[];
  /** EXPLAIN ANALYZE of each kind for the heavy user and for one ordinary user, after the load (warm cache). */
  readonly plans: { readonly heavy: readonly ExplainedQuery[]; readonly random: readonly ExplainedQuery[] };
  /** The mix as the load asked for it: each kind's paths and users (the raw baseline runs its SQL). */
  readonly mix: readonly KindSpec[];
}

const QUERIES: ReadonlyArray<{ readonly name: string; readonly paths: readonly string[] }> = [
  { name: 'default (created desc)', paths: ['/api/tasks'] },
  { name: 'status=open', paths: ['/api/tasks?status=open'] },
  { name: 'tag', paths: ['/api/tasks?tag=work', '/api/tasks?tag=health', '/api/tasks?tag=finance', '/api/tasks?tag=errands'] },
  { name: 'priority', paths: ['/api/tasks?priority=high', '/api/tasks?priority=urgent&priority=high', '/api/tasks?priority=low'] },
  { name: 'overdue=true', paths: ['/api/tasks?overdue=true'] },
  { name: 'q (full text)', paths: ['/api/tasks?q=invoice', '/api/tasks?q=dentist', '/api/tasks?q=tax%20return', '/api/tasks?q=budget'] },
  { name: 'sort=due', paths: ['/api/tasks?sort=due'] },
  { name: 'sort=title', paths: ['/api/tasks?sort=title'] },
];

const PAGE2 = 'page 2 (cursor)';
export const LIST_KINDS: readonly string[] = [...QUERIES.map((q) => q.name), PAGE2];

export const kindName = (group: 'heavy' | 'random', query: string): string => `${group} · ${query}`;

const Page = z.object({ items: z.array(z.unknown()), next_cursor: z.string().nullable() });

async function firstPageCursor(baseUrl: string, token: string): Promise<string> {
  const response = await fetch(`${baseUrl}/api/tasks`, { headers: { authorization: `Bearer ${token}` } });
  if (response.status !== 200) throw new Error(`GET /api/tasks answered ${response.status}`);
  const page = Page.parse(await response.json());
  if (!page.next_cursor) throw new Error('the first page has no next_cursor; the bulk load gave this user too few tasks');
  return page.next_cursor;
}

const pick = <T>(items: readonly T[], i: number): T => {
  const item = items[i % items.length];
  if (item === undefined) throw new Error('pick from an empty list');
  return item;
};

export async function measureListLatency(
  bench: BenchSystem,
  options: {
    readonly users: number; readonly connections: readonly number[]; readonly seconds: number; readonly warmupSeconds: number;
    /** Wraps each measured level (not the warm-up): where a caller samples CPU around it. */
    readonly around?: (run: () => Promise<LoadResult>) => Promise<LoadResult>;
  },
): Promise<ListLatencyResult> {
  const db = bench.system.database.db;
  const rows = (await db.query<{ count: number }>('SELECT count(*)::float8 AS count FROM task_view WHERE deleted_at IS NULL')).rows[0]?.count ?? 0;
  const heavyRows = (await db.query<{ count: number }>('SELECT count(*)::float8 AS count FROM task_view WHERE user_id = $1', [HEAVY_USER])).rows[0]?.count ?? 0;

  const users = Array.from({ length: options.users }, (_, i) => userName(i));
  const tokens: Record<string, string> = { [HEAVY_USER]: await bench.token(HEAVY_USER) };
  for (const user of users) tokens[user] = await bench.token(user);

  // Page-2 cursors come from real first pages: the heavy user's, and those of 100 ordinary users.
  const heavyCursor = await firstPageCursor(bench.baseUrl, tokens[HEAVY_USER] ?? '');
  const cursorUsers = users.filter((_, i) => i % Math.max(1, Math.floor(users.length / 100)) === 0).slice(0, 100);
  const cursors: Array<{ user: string; cursor: string }> = [];
  for (const user of cursorUsers) cursors.push({ user, cursor: await firstPageCursor(bench.baseUrl, tokens[user] ?? '') });

  const kinds: KindSpec[] = [];
  for (const query of QUERIES) {
    kinds.push({ kind: kindName('heavy', query.name), method: 'GET', variants: query.paths.map((path) => ({ path, user: HEAVY_USER })) });
    kinds.push({
      kind: kindName('random', query.name),
      method: 'GET',
      variants: users.map((user, i) => ({ path: pick(query.paths, i * 7 + 3), user })),
    });
  }
  kinds.push({ kind: kindName('heavy', PAGE2), method: 'GET', variants: [{ path: `/api/tasks?cursor=${heavyCursor}`, user: HEAVY_USER }] });
  kinds.push({
    kind: kindName('random', PAGE2),
    method: 'GET',
    variants: cursors.map(({ user, cursor }) => ({ path: `/api/tasks?cursor=${cursor}`, user })),
  });

  const job = { url: bench.baseUrl, tokens, kinds, maxRequests: 500_000 };
  await runLoad({ ...job, connections: 4, seconds: options.warmupSeconds });
  const levels: LoadResult[] = [];
  const around = options.around ?? ((run: () => Promise<LoadResult>) => run());
  for (const connections of options.connections) levels.push(await around(() => runLoad({ ...job, connections, seconds: options.seconds })));
  const sample = cursors[0];
  const plans = {
    heavy: await explainListQueries(db, HEAVY_USER, heavyCursor),
    random: sample ? await explainListQueries(db, sample.user, sample.cursor) : [],
  };
  return { rows, heavyRows, levels, plans, mix: kinds };
}
