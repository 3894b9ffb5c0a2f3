import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { Topic } from '../contracts/events/bus-topics.ts';
import { fromCloudEvent, TaskCloudEvent } from '../contracts/events/cloudevent.ts';
import { TaskChangeCloudEvent } from '../contracts/events/task-change-cloudevent.ts';
import type { Transactional } from '../contracts/ports/sql.ts';
import type { TopicSubscription } from '../gateways/bus/dapr-subscription.routes.ts';
import { createDelivery, type DeliveryOutcome } from '../projections/runtime/deliver-event.ts';
import { createBatchDelivery } from '../projections/runtime/deliver-batch.ts';
import { registerProjection } from '../projections/runtime/projection-state.sql.ts';
import type { Projector } from '../projections/runtime/projector.ts';
import type { BusLiveFeed } from '../projections/sync/bus-live-feed.ts';
import { busDeliveryMetrics } from './bus-metrics.ts';
import { PROJECTIONS } from '../contracts/projection-names.ts';

/**
 * How long the sidecar gathers a partition's messages before it delivers fewer than a batch. The Kafka
 * component's clock ticks at this period whatever arrives, so a lone event waits half of it on average: it
 * bounds what batching adds to a change's way to its subscribers.
 */
export const BULK_MAX_AWAIT_MS = 5;

/**
 * The dapr transport's subscriptions of one service: each bus-fed projector on its topic, and the live feed
 * on `task-updates`. Each is a bulk subscription: the sidecar delivers up to `batchSize` messages of a
 * partition per request; a projector applies them in one transaction, deduped by the inbox
 * (projections/runtime/deliver-batch.ts).
 */
export async function busSubscriptions(deps: {
  db: Transactional;
  projectors: ReadonlyArray<{ projector: Projector; topic: Topic }>;
  feed: BusLiveFeed | null;
  registry: Registry;
  logger: Logger;
  /** The most messages per delivery: the projectors' batch size. */
  batchSize: number;
}): Promise<TopicSubscription[]> {
  const observer = busDeliveryMetrics(deps.registry, deps.logger);
  const bulkOf = (consumer: string, handle: (events: ReadonlyArray<Record<string, unknown>>) => Promise<DeliveryOutcome[]>) => ({
    maxMessages: deps.batchSize,
    maxAwaitMs: BULK_MAX_AWAIT_MS,
    handle(events: ReadonlyArray<Record<string, unknown>>) {
      observer.batch(consumer, events.length);
      return handle(events);
    },
  });
  const subscriptions: TopicSubscription[] = [];
  for (const { projector, topic } of deps.projectors) {
    await registerProjection(deps.db, projector);
    const deliver = createDelivery({ db: deps.db, projector, observer });
    const deliverBatch = createBatchDelivery({ db: deps.db, projector, observer });
    const parse = (body: Record<string, unknown>) => {
      const parsed = TaskCloudEvent.safeParse(body);
      if (parsed.success) return fromCloudEvent(parsed.data);
      observer.malformed(projector.name, parsed.error.message);
      return null;
    };
    subscriptions.push({
      topic,
      route: `/dapr/${projector.name}/${topic}`,
      envelope: TaskCloudEvent,
      async handle(body) {
        const event = parse(body);
        return event ? deliver(event) : 'DROP';
      },
      bulk: bulkOf(projector.name, async (bodies) => {
        // A message that is not one of our CloudEvents is dropped where it stands; the others go as one batch.
        const events = bodies.map(parse);
        const outcomes = await deliverBatch(events.filter((event) => event !== null));
        return events.map((event) => (event ? outcomes.shift() ?? 'RETRY' : 'DROP'));
      }),
    });
  }
  const feed = deps.feed;
  if (feed) {
    const receive = (body: Record<string, unknown>): DeliveryOutcome => {
      const parsed = TaskChangeCloudEvent.safeParse(body);
      if (!parsed.success) {
        observer.malformed(PROJECTIONS.sync, parsed.error.message);
        return 'DROP';
      }
      feed.receive(parsed.data.data, parsed.data.traceparent ?? null);
      return 'SUCCESS';
    };
    subscriptions.push({
      topic: 'task-updates',
      route: '/dapr/sync/task-updates',
      envelope: TaskChangeCloudEvent,
      handle: (body) => Promise.resolve(receive(body)),
      bulk: bulkOf(PROJECTIONS.sync, (bodies) => Promise.resolve(bodies.map(receive))),
    });
  }
  return subscriptions;
}
