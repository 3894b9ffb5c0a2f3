import { Counter, Histogram, type Registry } from 'prom-client';
import type { Logger } from 'pino';
import type { DeliveryObserver } from '../projections/runtime/deliver-event.ts';
import { eventTraceFields } from '../contracts/trace-context.ts';

/**
 * Bus deliveries by consumer and answer; a DROP is logged as an error, never silent. Every line carries the
 * event's trace id; an applied or absorbed delivery is a debug line (the delivery request's own info line
 * names the trace already).
 */
export function busDeliveryMetrics(registry: Registry, logger: Logger): DeliveryObserver & {
  malformed(consumer: string, reason: string): void;
  batch(consumer: string, size: number): void;
} {
  const deliveries = new Counter({
    name: 'bus_deliveries_total',
    help: 'Bus deliveries by consumer and answer (SUCCESS, DUPLICATE absorbed by the inbox, RETRY, DROP)',
    labelNames: ['consumer', 'outcome'] as const,
    registers: [registry],
  });
  const batches = new Histogram({
    name: 'bus_delivery_batch_size',
    help: 'Messages per request of the sidecar (bulk subscribe), by consumer',
    labelNames: ['consumer'] as const,
    buckets: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000],
    registers: [registry],
  });
  return {
    batch(consumer, size) {
      batches.observe({ consumer }, size);
    },
    delivered(consumer, outcome, event, error) {
      deliveries.inc({ consumer, outcome });
      const context = {
        consumer, task_id: event.stream_id, version: event.version, position: event.position, event_id: event.event_id,
        ...eventTraceFields(event.metadata.traceparent),
      };
      if (outcome === 'SUCCESS' || outcome === 'DUPLICATE') logger.debug({ ...context, outcome, type: event.type }, outcome === 'SUCCESS' ? 'bus delivery applied' : 'bus delivery already applied');
      else if (outcome === 'DROP') logger.error({ ...context, err: error }, 'poison event dead-lettered and dropped; see `todo projections dead-letters`');
      else if (outcome === 'RETRY') logger.warn({ ...context, err: error }, 'bus delivery failed transiently; asking for a redelivery');
    },
    malformed(consumer, reason) {
      deliveries.inc({ consumer, outcome: 'DROP' });
      logger.error({ consumer, reason }, 'bus delivery is not one of our CloudEvents; dropped');
    },
  };
}
