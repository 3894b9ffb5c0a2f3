import { CLOUDEVENT_CONTENT_TYPE } from '../../contracts/events/cloudevent.ts';
import { PublishFailed, type BusMessage, type EventPublisher } from '../../contracts/ports/event-publisher.ts';
import { publishBulk } from './dapr-bulk-publish.ts';

/**
 * Publishes through the Dapr sidecar's HTTP API, as a structured CloudEvent (ours, not re-wrapped by Dapr).
 * Only a 2xx counts as published: anything else throws, so the relay never checkpoints past it. The
 * sidecar answering 5xx or not at all is its (or the broker's) state, retried forever; a 4xx is about the
 * message and is dead-lettered after the relay's retries.
 */
export function daprPublisher(options: { httpPort: number; pubsubName: string; host?: string; timeoutMs?: number }): Required<EventPublisher> {
  const sidecar = `http://${options.host ?? '127.0.0.1'}:${options.httpPort}`;
  const base = `${sidecar}/v1.0/publish/${encodeURIComponent(options.pubsubName)}`;
  const timeoutMs = options.timeoutMs ?? 15_000;
  const bulk = { base: `${sidecar}/v1.0/publish/bulk/${encodeURIComponent(options.pubsubName)}`, timeoutMs };
  return {
    publishAll: (messages) => publishBulk(bulk, messages),
    async publish(message: BusMessage) {
      const url = `${base}/${encodeURIComponent(message.topic)}?metadata.partitionKey=${encodeURIComponent(message.partitionKey)}`;
      let response: Response;
      try {
        response = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': CLOUDEVENT_CONTENT_TYPE, ...(message.traceparent ? { traceparent: message.traceparent } : {}) },
          body: JSON.stringify(message.event),
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (error) {
        throw new PublishFailed(`dapr sidecar unreachable at ${base}: ${error instanceof Error ? error.message : String(error)}`, { transient: true, status: null, cause: error });
      }
      if (response.ok) {
        await response.body?.cancel();
        return;
      }
      const detail = (await response.text().catch(() => '')).slice(0, 500);
      throw new PublishFailed(`dapr publish to ${message.topic} answered ${response.status}: ${detail}`, {
        transient: response.status >= 500 || response.status === 429 || response.status === 408,
        status: response.status,
      });
    },
  };
}
