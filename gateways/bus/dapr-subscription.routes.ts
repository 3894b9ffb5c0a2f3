import { z } from 'zod';
import type { FastifyBaseLogger, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { CLOUDEVENT_CONTENT_TYPE } from '../../contracts/events/cloudevent.ts';
import { TOPICS, type Topic } from '../../contracts/events/bus-topics.ts';
import type { RouteDocumentation } from '../../contracts/http-route.ts';
import { eventTraceFields } from '../../contracts/trace-context.ts';
import { answerBulk, BulkAnswer, bulkRequestBody, bulkSubscribeOf, parseBulkRequest, type BulkDelivery } from './dapr-bulk-delivery.ts';
import { SUBSCRIBER_ANSWERS, withoutDaprAttributes, type SubscriberAnswer } from './dapr-message.ts';

export type { SubscriberAnswer } from './dapr-message.ts';

/** The answer the sidecar acts on: SUCCESS acks, RETRY redelivers, DROP gives up on the message. */
const DeliveryAnswer = z.strictObject({ status: z.enum(SUBSCRIBER_ANSWERS) });

/** Room for one message of a bulk request: a CloudEvent of the largest command body, with Kafka's metadata. */
const BULK_BYTES_PER_MESSAGE = 128 * 1024;

/** Dapr's programmatic subscription format. */
const Subscriptions = z.array(z.strictObject({
  pubsubname: z.string(),
  topic: z.enum(Object.values(TOPICS)),
  route: z.string().describe('Where the sidecar POSTs each message of the topic'),
  bulkSubscribe: z.strictObject({
    enabled: z.literal(true),
    maxMessagesCount: z.int().positive(),
    maxAwaitDurationMs: z.int().positive(),
  }).optional().describe('Present when the sidecar delivers many messages per request (Dapr bulk subscribe)'),
}));
type Subscriptions = z.infer<typeof Subscriptions>;

export interface TopicSubscription {
  readonly topic: Topic;
  /** Where the sidecar POSTs each message, e.g. `/dapr/audit/task-events`. */
  readonly route: string;
  /** The CloudEvent a message of the topic carries (documentation: a delivery that does not parse is dropped, not refused). */
  readonly envelope: z.ZodType;
  /** The CloudEvent as published, without the attributes Dapr adds on its way through. */
  handle(event: Record<string, unknown>, log: FastifyBaseLogger): Promise<SubscriberAnswer>;
  /** When present, the subscription asks the sidecar for many messages per request (dapr-bulk-delivery.ts). */
  readonly bulk?: BulkDelivery;
}

/**
 * A delivery's log lines carry the trace of the event it brings. The sidecar sends a traceparent header only
 * when its own tracing is on (then a span of the event's trace, which the request already has); otherwise
 * the trace is the CloudEvent's `traceparent` attribute, bound here, so that the request's lines — including
 * fastify's "request completed" — name it.
 */
function traceDeliveryLog(request: FastifyRequest, reply: FastifyReply, event: Record<string, unknown>): void {
  if (request.trace) return;
  const fields = eventTraceFields(typeof event['traceparent'] === 'string' ? event['traceparent'] : null);
  if (!('trace_id' in fields)) return;
  request.log = request.log.child(fields);
  reply.log = request.log;
}

/**
 * The programmatic subscription of a Dapr app, served by fastify (not @dapr/dapr's express server, which
 * acks a throwing handler as SUCCESS): `GET /dapr/subscribe` lists the topics, and each delivery is answered
 * with the handler's SUCCESS, RETRY or DROP — a handler that throws answers RETRY, never SUCCESS. A bulk
 * subscription's route answers the sidecar's bulk requests entry by entry (dapr-bulk-delivery.ts), and a
 * single CloudEvent as any route does.
 */
export function registerDaprSubscriptions(app: FastifyInstance, deps: {
  pubsubName: string;
  subscriptions: readonly TopicSubscription[];
}): void {
  if (!app.hasContentTypeParser(CLOUDEVENT_CONTENT_TYPE)) {
    app.addContentTypeParser(CLOUDEVENT_CONTENT_TYPE, { parseAs: 'string' }, (_request, body, done) => {
      try {
        done(null, JSON.parse(typeof body === 'string' ? body : body.toString('utf8')));
      } catch (error) {
        done(error instanceof Error ? error : new Error(String(error)), undefined);
      }
    });
  }
  const subscribe: RouteDocumentation = {
    operationId: 'daprSubscriptions', summary: 'The topics this service subscribes to, for its Dapr sidecar', tags: ['bus'],
    responses: { 200: { description: 'One entry per topic and delivery route', schema: Subscriptions } },
  };
  app.get('/dapr/subscribe', { config: { openapi: subscribe } }, async () => deps.subscriptions.map((subscription) => ({
    pubsubname: deps.pubsubName,
    topic: subscription.topic,
    route: subscription.route,
    ...(subscription.bulk ? { bulkSubscribe: bulkSubscribeOf(subscription.bulk) } : {}),
  })) satisfies Subscriptions);
  for (const subscription of deps.subscriptions) {
    const operationId = `daprDeliver${subscription.route.replace(/(?:^|[/-])([a-z])/g, (_match, letter: string) => letter.toUpperCase()).replace(/\W/g, '')}`;
    const bulk = subscription.bulk;
    // The body is documented, not parsed here: a delivery that is not the envelope is answered DROP, since
    // a 400 would only make the sidecar redeliver it.
    const delivery: RouteDocumentation = bulk
      ? {
        operationId,
        summary: `Up to ${bulk.maxMessages} messages of one partition of topic ${subscription.topic}, delivered by the Dapr sidecar in one request (bulk subscribe)`,
        tags: ['bus'],
        body: bulkRequestBody(subscription.envelope),
        responses: { 200: { description: 'Always 200: a status per entry tells the sidecar what to do with it (a failing handler asks RETRY)', schema: BulkAnswer } },
      }
      : {
        operationId,
        summary: `A message of topic ${subscription.topic}, delivered by the Dapr sidecar`,
        tags: ['bus'],
        body: subscription.envelope,
        bodyContentType: CLOUDEVENT_CONTENT_TYPE,
        responses: { 200: { description: 'Always 200: the status tells the sidecar what to do with the message (a failing handler asks RETRY)', schema: DeliveryAnswer } },
      };
    // A bulk request holds many events: the edge's limit for one command's body would refuse it.
    const options = bulk ? { config: { openapi: delivery }, bodyLimit: bulk.maxMessages * BULK_BYTES_PER_MESSAGE } : { config: { openapi: delivery } };
    app.post(subscription.route, options, async (request, reply) => {
      const many = bulk ? parseBulkRequest(request.body) : null;
      if (bulk && many) return reply.code(200).send(await answerBulk(bulk, many, request.log));
      const event = withoutDaprAttributes(request.body);
      let status: SubscriberAnswer;
      if (!event) {
        request.log.error({ topic: subscription.topic }, 'bus delivery is not a CloudEvent object; dropped');
        status = 'DROP';
      } else {
        traceDeliveryLog(request, reply, event);
        try {
          status = await subscription.handle(event, request.log);
        } catch (error) {
          request.log.error({ err: error, topic: subscription.topic }, 'bus delivery failed; asking for a redelivery');
          status = 'RETRY';
        }
      }
      return reply.code(200).send({ status } satisfies z.infer<typeof DeliveryAnswer>);
    });
  }
}
