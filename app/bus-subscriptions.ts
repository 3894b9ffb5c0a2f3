import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { Topic } from '../contracts/events/bus-topics.ts';
import { fromCloudEvent, TaskCloudEvent } from '../contracts/events/cloudevent.ts';
import { TaskChangeCloudEvent } from '../contracts/events/task-change-cloudevent.ts';
import type { Transactional } from '../contracts/ports/sql.ts';
import type { TopicSubscription } from '../gateways/bus/dapr-subscription.routes.ts';
import { createDelivery } from '../projections/runtime/deliver-event.ts';
import { registerProjection } from '../projections/runtime/projection-state.sql.ts';
import type { Projector } from '../projections/runtime/projector.ts';
import type { BusLiveFeed } from '../projections/sync/bus-live-feed.ts';
import { busDeliveryMetrics } from './bus-metrics.ts';
import { PROJECTIONS } from '../contracts/projection-names.ts';

/**
 * The dapr transport's subscriptions of one service: each bus-fed projector on its topic (deliveries
 * deduped by the inbox and applied in one transaction), and the live feed on `task-updates`.
 */
export async function busSubscriptions(deps: {
  db: Transactional;
  projectors: ReadonlyArray<{ projector: Projector; topic: Topic }>;
  feed: BusLiveFeed | null;
  registry: Registry;
  logger: Logger;
}): Promise<TopicSubscription[]> {
  const observer = busDeliveryMetrics(deps.registry, deps.logger);
  const subscriptions: TopicSubscription[] = [];
  for (const { projector, topic } of deps.projectors) {
    await registerProjection(deps.db, projector);
    const deliver = createDelivery({ db: deps.db, projector, observer });
    subscriptions.push({
      topic,
      route: `/dapr/${projector.name}/${topic}`,
      envelope: TaskCloudEvent,
      async handle(body) {
        const parsed = TaskCloudEvent.safeParse(body);
        if (!parsed.success) {
          observer.malformed(projector.name, parsed.error.message);
          return 'DROP';
        }
        return deliver(fromCloudEvent(parsed.data));
      },
    });
  }
  const feed = deps.feed;
  if (feed) {
    subscriptions.push({
      topic: 'task-updates',
      route: '/dapr/sync/task-updates',
      envelope: TaskChangeCloudEvent,
      async handle(body) {
        const parsed = TaskChangeCloudEvent.safeParse(body);
        if (!parsed.success) {
          observer.malformed(PROJECTIONS.sync, parsed.error.message);
          return 'DROP';
        }
        feed.receive(parsed.data.data, parsed.data.traceparent ?? null);
        return 'SUCCESS';
      },
    });
  }
  return subscriptions;
}
