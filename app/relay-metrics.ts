import { Counter, Gauge, type Registry } from 'prom-client';
import { TOPICS } from '../contracts/events/bus-topics.ts';
import { PublishFailed, type EventPublisher } from '../contracts/ports/event-publisher.ts';

/**
 * The relay's publishes as the sidecar answered them. Every topic's series exist from the start at 0, so
 * `rate()` and the RelayStalled alert see a relay that never published, not a missing series.
 */
export function observedPublisher(publisher: EventPublisher, registry: Registry, clock: () => Date = () => new Date()): EventPublisher {
  const publishAll = publisher.publishAll?.bind(publisher);
  const published = new Counter({
    name: 'relay_events_published_total', help: 'Events the relay published and the sidecar acknowledged, by topic',
    labelNames: ['topic'] as const, registers: [registry],
  });
  const failures = new Counter({
    name: 'relay_publish_failures_total', help: 'Publishes the sidecar did not acknowledge, by topic; transient="true" is the bus\'s state (retried forever)',
    labelNames: ['topic', 'transient'] as const, registers: [registry],
  });
  const lastPublished = new Gauge({
    name: 'relay_last_publish_timestamp_seconds', help: 'Unix time of the last publish the sidecar acknowledged (0: none since start)',
    registers: [registry],
  });
  for (const topic of Object.values(TOPICS)) {
    published.inc({ topic }, 0);
    for (const transient of ['true', 'false']) failures.inc({ topic, transient }, 0);
  }
  lastPublished.set(0);
  return {
    async publish(message) {
      try {
        await publisher.publish(message);
      } catch (error) {
        // Anything but a PublishFailed (a bug of ours) is not the bus's state: counted as not transient.
        failures.inc({ topic: message.topic, transient: String(error instanceof PublishFailed && error.transient) });
        throw error;
      }
      published.inc({ topic: message.topic });
      lastPublished.set(clock().getTime() / 1000);
    },
    ...(publishAll ? {
      async publishAll(messages) {
        const topics = new Map<string, number>();
        for (const message of messages) topics.set(message.topic, (topics.get(message.topic) ?? 0) + 1);
        try {
          await publishAll(messages);
        } catch (error) {
          // Which of them the bus took is not known here: one failure per topic the call carried.
          for (const topic of topics.keys()) failures.inc({ topic, transient: String(error instanceof PublishFailed && error.transient) });
          throw error;
        }
        for (const [topic, count] of topics) published.inc({ topic }, count);
        if (messages.length > 0) lastPublished.set(clock().getTime() / 1000);
      },
    } : {}),
  };
}
