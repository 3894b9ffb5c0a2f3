import type { Topic } from '../events/bus-topics.ts';

/** One message for the bus: a CloudEvent (structured mode) and the key that keeps a task's events in order. */
export interface BusMessage {
  readonly topic: Topic;
  readonly partitionKey: string;
  readonly event: object;
  /**
   * The W3C traceparent of the change the message is about. Sent beside the message (the Dapr sidecar takes
   * it from the publish request and writes it into the CloudEvent's `traceparent` attribute, replacing the
   * one in the body), so the trace survives the bus.
   */
  readonly traceparent?: string | null;
}

/** Publishes to the bus; resolves only once the bus acknowledged, throws otherwise. */
export interface EventPublisher {
  publish(message: BusMessage): Promise<void>;
  /**
   * Publishes many at once (a bus that has a bulk call), keeping the order of each partition key's messages;
   * resolves only once the bus acknowledged every one, throws otherwise (some may have been published:
   * the caller publishes them again, at-least-once). Without it, messages go one `publish` at a time.
   */
  publishAll?(messages: readonly BusMessage[]): Promise<void>;
}

/**
 * The bus did not take a message. `transient` says whether it was the bus's state (unreachable, overloaded,
 * broker down: retry forever) rather than something about the message (retried a few times, then dead-lettered).
 */
export class PublishFailed extends Error {
  readonly transient: boolean;
  readonly status: number | null;
  constructor(message: string, options: { transient: boolean; status: number | null; cause?: unknown }) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'PublishFailed';
    this.transient = options.transient;
    this.status = options.status;
  }
}
