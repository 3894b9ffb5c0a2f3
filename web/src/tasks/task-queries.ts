import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import type { Api } from '../api/client.ts';
import type { Priority, Task } from '../api/types.ts';

export interface ListFilters {
  readonly status: 'open' | 'completed' | 'all';
  readonly priority: readonly Priority[];
  readonly tag: string;
  readonly dueAfter: string;
  readonly dueBefore: string;
  readonly overdue: boolean;
  readonly q: string;
  readonly estimateMax: string;
  readonly sort: 'due' | 'priority' | 'created' | 'updated' | 'title' | 'estimate';
  readonly order: 'default' | 'asc' | 'desc';
}

export const DEFAULT_FILTERS: ListFilters = { status: 'open', priority: [], tag: '', dueAfter: '', dueBefore: '', overdue: false, q: '', estimateMax: '', sort: 'created', order: 'default' };

const PAGE = 50;

/** Thrown for an answer that is not a success: the message carries the status, for the retry policy. */
export class ApiError extends Error {}

/** The parameters that narrow which tasks: shared by the list and its count. */
function filterQuery(filters: ListFilters) {
  return {
    ...(filters.status !== 'all' ? { status: filters.status } : {}),
    ...(filters.priority.length > 0 ? { priority: [...filters.priority] } : {}),
    ...(filters.tag.trim() ? { tag: filters.tag.split(',').map((tag) => tag.trim().toLowerCase()).filter(Boolean) } : {}),
    ...(filters.dueAfter ? { due_after: filters.dueAfter } : {}),
    ...(filters.dueBefore ? { due_before: filters.dueBefore } : {}),
    ...(filters.overdue ? { overdue: 'true' as const } : {}),
    ...(filters.q.trim() ? { q: filters.q.trim() } : {}),
    ...(filters.estimateMax ? { estimate_max: Number(filters.estimateMax) } : {}),
  };
}

function query(filters: ListFilters) {
  return {
    ...filterQuery(filters),
    sort: filters.sort,
    ...(filters.order !== 'default' ? { order: filters.order } : {}),
  };
}

async function page(api: Api, filters: ListFilters, limit: number, cursor?: string) {
  const { data, response } = await api.GET('/api/tasks', { params: { query: { ...query(filters), limit, ...(cursor ? { cursor } : {}) } } });
  if (!data) throw new ApiError(`GET /api/tasks answered ${response.status}`);
  return data;
}

/** The task list, 50 at a time, the next page fetched as the end comes into view. */
export function useTaskList(api: Api, filters: ListFilters) {
  return useInfiniteQuery({
    queryKey: ['tasks', 'list', filters],
    initialPageParam: '',
    queryFn: ({ pageParam }) => page(api, filters, PAGE, pageParam || undefined),
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
}

/** How many tasks a filter finds, from GET /api/tasks/count. */
export function useTaskCount(api: Api, filters: ListFilters, enabled = true) {
  return useQuery({
    queryKey: ['tasks', 'count', filters],
    enabled,
    queryFn: async () => {
      const { data, response } = await api.GET('/api/tasks/count', { params: { query: filterQuery(filters) } });
      if (!data) throw new ApiError(`GET /api/tasks/count answered ${response.status}`);
      return String(data.count);
    },
  });
}

const TAG_SAMPLE = 200;

/** The person's own tags, from their most recently changed tasks, for suggestions. */
export function useOwnTags(api: Api, enabled = true) {
  return useQuery({
    queryKey: ['tasks', 'tags'],
    enabled,
    queryFn: async () => {
      const found = await page(api, { ...DEFAULT_FILTERS, status: 'all', sort: 'updated' }, TAG_SAMPLE);
      return [...new Set(found.items.flatMap((task: Task) => task.tags))].sort();
    },
    staleTime: 60_000,
  });
}
