import type { FastifyBaseLogger } from 'fastify';
import { z } from 'zod';
import { SUBSCRIBER_ANSWERS, withoutDaprAttributes, type SubscriberAnswer } from './dapr-message.ts';

/*
 * Dapr's bulk subscribe (pkg/runtime/subscription/bulksubscription.go of Dapr 1.18, the Kafka component's
 * bulk consumer in components-contrib common/component/kafka/consumer.go): a subscription that declares
 * `bulkSubscribe` gets, on its route, up to `maxMessagesCount` messages of ONE partition per request, in the
 * partition's order — sent once that many are there or `maxAwaitDurationMs` passed. The body is
 * `{id, type: "com.dapr.event.sent.bulk", topic, pubsubname, metadata, entries: [{entryId, event, metadata,
 * contentType}]}`, each `event` a CloudEvent as a single delivery has it. The app answers 2xx with
 * `{statuses: [{entryId, status}]}`: SUCCESS and DROP ack an entry; RETRY, an unknown status or a missing
 * entry has the sidecar deliver it again. The Kafka component commits the offsets up to the first entry not
 * acked and delivers the request again from there, retrying forever (docs/adr/0024).
 */

export const BULK_EVENT_TYPE = 'com.dapr.event.sent.bulk';

/** The bulk subscription of one route, and what answers its requests. */
export interface BulkDelivery {
  /** The most messages per request (`maxMessagesCount`). */
  readonly maxMessages: number;
  /** How long the sidecar gathers messages before it sends fewer (`maxAwaitDurationMs`). */
  readonly maxAwaitMs: number;
  /**
   * The CloudEvents of one request in partition order, without Dapr's attributes; one answer per event, in
   * the same order. Nothing after an event answered RETRY may have been applied (it comes again behind it).
   */
  handle(events: ReadonlyArray<Record<string, unknown>>, log: FastifyBaseLogger): Promise<SubscriberAnswer[]>;
}

export const bulkSubscribeOf = (bulk: BulkDelivery) => ({ enabled: true as const, maxMessagesCount: bulk.maxMessages, maxAwaitDurationMs: bulk.maxAwaitMs });

/** What the sidecar POSTs for a bulk subscription (documented with each route's own event envelope). */
export const bulkRequestBody = (envelope: z.ZodType) => z.looseObject({
  id: z.string().optional(),
  type: z.literal(BULK_EVENT_TYPE),
  topic: z.string().optional(),
  pubsubname: z.string().optional(),
  metadata: z.record(z.string(), z.string()).nullish(),
  entries: z.array(z.looseObject({
    entryId: z.string().min(1),
    event: envelope,
    metadata: z.record(z.string(), z.string()).nullish().describe('The Kafka message: partition, offset, key, headers'),
    contentType: z.string().optional(),
  })),
});

/** What the sidecar reads from the answer: one status per entry. */
export const BulkAnswer = z.strictObject({
  statuses: z.array(z.strictObject({ entryId: z.string(), status: z.enum(SUBSCRIBER_ANSWERS) })),
});
export type BulkAnswer = z.infer<typeof BulkAnswer>;

/** Its shape only: each entry's event is checked by the handler (a bad one is dropped, not refused). */
const BulkRequest = bulkRequestBody(z.unknown());

/** The body as a bulk request, or null when it is something else (a single CloudEvent). */
export function parseBulkRequest(body: unknown): z.infer<typeof BulkRequest> | null {
  const parsed = BulkRequest.safeParse(body);
  return parsed.success ? parsed.data : null;
}

/**
 * Answers a bulk request entry by entry. An entry that is not a CloudEvent object is dropped (logged), as a
 * single delivery of it would be; a handler that throws answers RETRY for all. After the first RETRY every
 * later entry answers RETRY: the sidecar delivers them again behind it, in order.
 */
export async function answerBulk(bulk: BulkDelivery, request: NonNullable<ReturnType<typeof parseBulkRequest>>, log: FastifyBaseLogger): Promise<BulkAnswer> {
  const events: Array<Record<string, unknown>> = [];
  const places: Array<number | null> = request.entries.map((entry) => {
    const event = withoutDaprAttributes(entry.event);
    if (!event) {
      log.error({ topic: request.topic, entry_id: entry.entryId }, 'bus delivery is not a CloudEvent object; dropped');
      return null;
    }
    events.push(event);
    return events.length - 1;
  });
  let answers: SubscriberAnswer[];
  try {
    answers = events.length > 0 ? await bulk.handle(events, log) : [];
  } catch (error) {
    log.error({ err: error, topic: request.topic, entries: events.length }, 'bus delivery failed; asking for a redelivery');
    answers = events.map(() => 'RETRY');
  }
  let retrying = false;
  return {
    statuses: request.entries.map((entry, i) => {
      const place = places[i] ?? null;
      const answer: SubscriberAnswer = place === null ? 'DROP' : answers[place] ?? 'RETRY';
      retrying ||= answer === 'RETRY';
      return { entryId: entry.entryId, status: retrying ? 'RETRY' : answer };
    }),
  };
}
