import { Counter, type Registry } from 'prom-client';
import type { Logger } from 'pino';
import type { DeliveryObserver } from '../projections/runtime/deliver-event.ts';

/** Bus deliveries by consumer and answer; a DROP is logged as an error, never silent. */
export function busDeliveryMetrics(registry: Registry, logger: Logger): DeliveryObserver & { malformed(consumer: string, reason: string): void } {
  const deliveries = new Counter({
    name: 'bus_deliveries_total',
    help: 'Bus deliveries by consumer and answer (SUCCESS, DUPLICATE absorbed by the inbox, RETRY, DROP)',
    labelNames: ['consumer', 'outcome'] as const,
    registers: [registry],
  });
  return {
    delivered(consumer, outcome, event, error) {
      deliveries.inc({ consumer, outcome });
      const context = { consumer, task_id: event.stream_id, version: event.version, position: event.position, event_id: event.event_id };
      if (outcome === 'DROP') logger.error({ ...context, err: error }, 'poison event dead-lettered and dropped; see `todo projections dead-letters`');
      else if (outcome === 'RETRY') logger.warn({ ...context, err: error }, 'bus delivery failed transiently; asking for a redelivery');
    },
    malformed(consumer, reason) {
      deliveries.inc({ consumer, outcome: 'DROP' });
      logger.error({ consumer, reason }, 'bus delivery is not one of our CloudEvents; dropped');
    },
  };
}
