import { z } from 'zod';
import { MAX_ESTIMATE_MINUTES } from '../domain/task/limits.ts';
import { isInstantTextInRange, OUT_OF_RANGE } from '../domain/task/rules/instant-range.ts';
import { normaliseTag } from '../domain/task/rules/tags.ts';
import { Priority, Task } from './task.ts';

export const SORTS = ['due', 'priority', 'created', 'updated', 'title', 'estimate'] as const;
export type Sort = (typeof SORTS)[number];
export const ORDERS = ['asc', 'desc'] as const;
export type Order = (typeof ORDERS)[number];

/** Newest first for times and most urgent first for priority; earliest due, A→Z and shortest estimate otherwise. */
export const DEFAULT_ORDER: Readonly<Record<Sort, Order>> = { due: 'asc', priority: 'desc', created: 'desc', updated: 'desc', title: 'asc', estimate: 'asc' };

export const MAX_PAGE_SIZE = 200;

/** A repeatable query parameter arrives as a string once and as an array when repeated. */
const repeatable = <T extends z.ZodType>(item: T) =>
  z.preprocess((value) => (value === undefined || Array.isArray(value) ? value : [value]), z.array(item).min(1).max(20));

/** A date (taken at 00:00 UTC) or an instant with offset. */
const instantOrDate = z.union([z.iso.date(), z.iso.datetime({ offset: true })]).transform((value) =>
  value.length === 10 ? `${value}T00:00:00.000Z` : new Date(value).toISOString()).refine(isInstantTextInRange, OUT_OF_RANGE);

/**
 * A log position in a query parameter or header: decimal digits only, as the document's integer type says;
 * `""`, `1e2` or `0x1` are refused, not read as numbers.
 */
export const MinPosition = z.preprocess(
  (value) => (typeof value === 'string' && /^\d{1,16}$/.test(value) ? Number(value) : value),
  z.int().min(0).max(Number.MAX_SAFE_INTEGER),
);

export const ListTasksQuery = z
  .strictObject({
    status: z.enum(['open', 'completed']).optional(),
    priority: repeatable(Priority).optional(),
    tag: repeatable(z.string().overwrite(normaliseTag).min(1).max(50)).optional().describe('Repeatable; any of'),
    due_before: instantOrDate.optional().describe('due < this (a date means 00:00 UTC)'),
    due_after: instantOrDate.optional().describe('due ≥ this (a date means 00:00 UTC)'),
    overdue: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
    // Checked as sent (a JSON Schema cannot trim), then trimmed.
    q: z.string().max(200).regex(/\S/, 'must not be blank').trim().optional().describe('Full-text search over title and description'),
    estimate_max: z.coerce.number().int().min(1).max(MAX_ESTIMATE_MINUTES).optional()
      .describe('Only tasks estimated at most this many minutes (tasks without an estimate are left out)'),
    sort: z.enum(SORTS).default('created'),
    order: z.enum(ORDERS).optional(),
    limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(50),
    cursor: z.string().min(1).max(500).optional(),
    min_position: MinPosition.optional().describe('Wait until the read model has this position (read your writes)'),
  })
  .meta({ id: 'ListTasksQuery' });
export type ListTasksQuery = z.output<typeof ListTasksQuery>;
/** The filters of a task list: every parameter that narrows which tasks, none that pages or orders them. */
export type TaskFilters = Omit<ListTasksQuery, 'sort' | 'order' | 'limit' | 'cursor' | 'min_position'>;

/** The filters of `GET /api/tasks` alone: what `GET /api/tasks/count` counts by. */
export const CountTasksQuery = ListTasksQuery.omit({ sort: true, order: true, limit: true, cursor: true }).meta({ id: 'CountTasksQuery' });
export type CountTasksQuery = z.output<typeof CountTasksQuery>;

export const TaskCount = z
  .strictObject({ count: z.int().min(0).describe('How many of the caller\'s tasks the filters find') })
  .meta({ id: 'TaskCount' });
export type TaskCount = z.infer<typeof TaskCount>;

export const TaskPage = z
  .strictObject({ items: z.array(Task), next_cursor: z.string().nullable() })
  .meta({ id: 'TaskPage' });
export type TaskPage = z.infer<typeof TaskPage>;

export const GetTaskQuery = z.strictObject({ min_position: MinPosition.optional() });
