import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { PublishFailed, type BusMessage } from '../contracts/ports/event-publisher.ts';
import { observedPublisher } from './relay-metrics.ts';

const message: BusMessage = { topic: 'task-events', partitionKey: 'task-1', event: {} };

describe('relay metrics', () => {
  it('start every topic at zero, before the first publish', async () => {
    const registry = new Registry();
    observedPublisher({ publish: () => Promise.resolve() }, registry);
    const exposition = await registry.metrics();
    for (const topic of ['task-events', 'reminders', 'task-updates']) {
      expect(exposition).toContain(`relay_events_published_total{topic="${topic}"} 0`);
      expect(exposition).toContain(`relay_publish_failures_total{topic="${topic}",transient="true"} 0`);
    }
    expect(exposition).toMatch(/^relay_last_publish_timestamp_seconds 0$/m);
  });

  it('count an acknowledged publish and remember when it happened', async () => {
    const registry = new Registry();
    const publisher = observedPublisher({ publish: () => Promise.resolve() }, registry, () => new Date('2026-01-01T00:00:00Z'));
    await publisher.publish(message);
    const exposition = await registry.metrics();
    expect(exposition).toContain('relay_events_published_total{topic="task-events"} 1');
    expect(exposition).toMatch(/^relay_last_publish_timestamp_seconds 1767225600$/m);
  });

  it('count a refused publish as a failure, transient or not, and pass the error on', async () => {
    const registry = new Registry();
    const refused = new PublishFailed('dapr publish answered 503', { transient: true, status: 503 });
    const publisher = observedPublisher({ publish: () => Promise.reject(refused) }, registry);
    await expect(publisher.publish(message)).rejects.toBe(refused);
    const exposition = await registry.metrics();
    expect(exposition).toContain('relay_publish_failures_total{topic="task-events",transient="true"} 1');
    expect(exposition).toContain('relay_events_published_total{topic="task-events"} 0');
  });
});
