/** What a subscriber answers the sidecar for a message: SUCCESS acks, RETRY redelivers, DROP gives up on it. */
export const SUBSCRIBER_ANSWERS = ['SUCCESS', 'RETRY', 'DROP'] as const;
export type SubscriberAnswer = (typeof SUBSCRIBER_ANSWERS)[number];

/**
 * Attributes Dapr adds to a CloudEvent it delivers (tracing, routing, TTL). Our envelope is a strict
 * schema; these are the bus's, not the event's, so they are set aside before it is parsed.
 */
const DAPR_ATTRIBUTES = new Set(['topic', 'pubsubname', 'traceid', 'tracestate', 'expiration']);

/** The delivered CloudEvent without Dapr's attributes; null when it is not an object. */
export function withoutDaprAttributes(body: unknown): Record<string, unknown> | null {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return null;
  return Object.fromEntries(Object.entries(body).filter(([key]) => !DAPR_ATTRIBUTES.has(key)));
}
