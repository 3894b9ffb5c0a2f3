import { z } from 'zod';
import { IdempotencyKeyHeader, IfMatchHeader } from './commands.ts';
import { MinPosition } from './queries.ts';

/* Request headers the routes read, as objects keyed by the lower-case names node hands over. */

export const CommandHeaders = z.object({
  'if-match': IfMatchHeader.optional().describe('The task version the client last saw (3 or "3"); a stale one answers 412'),
  'idempotency-key': IdempotencyKeyHeader.optional().describe('A retry with the same key answers the first result and appends nothing'),
  'x-correlation-id': z.string().optional().describe('Carried into the events\' metadata; the request id when absent'),
});
export type CommandHeaders = z.output<typeof CommandHeaders>;

/** The header form of `?min_position` (the query parameter wins when both are sent). */
export const ReadYourWritesHeaders = z.object({
  'x-min-position': MinPosition.optional().describe('Wait until the read model has this position (read your writes); ?min_position wins'),
});

export const ConditionalReadHeaders = ReadYourWritesHeaders.extend({
  'if-none-match': z.string().optional().describe('The ETag the client holds: an unchanged task answers 304 without a body'),
});
