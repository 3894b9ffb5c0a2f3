import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { CLOUDEVENT_CONTENT_TYPE } from '../../contracts/events/cloudevent.ts';
import { PublishFailed, type BusMessage } from '../../contracts/ports/event-publisher.ts';

/*
 * Many messages per request through the sidecar's bulk publish (`POST /v1.0/publish/bulk/{pubsub}/{topic}`; Dapr 1.18 serves it under v1.0 and v1.0-alpha1),
 * Kafka's producer batch behind it). The sidecar answers each entry: 2xx when all were published, otherwise
 * the ids of the entries that failed. Only those are sent again; a request never holds two messages of one
 * partition key, so a retried entry cannot fall behind a later message of its key (order per task holds as
 * with one publish at a time).
 */

/** Entries per request: a relay batch (500 events) fits in one request per topic. */
const MAX_ENTRIES = 1000;
/** Attempts for the entries the sidecar reports failed, before the whole call fails (and the relay's retry takes over). */
const ATTEMPTS = 3;

const FailedEntries = z.looseObject({
  failedEntries: z.array(z.looseObject({ entryId: z.string(), error: z.string().optional() })).optional(),
  errorCode: z.string().optional(),
  message: z.string().optional(),
});

export interface BulkTarget { readonly base: string; readonly timeoutMs: number }

/**
 * The requests for one topic's messages, in order: a new request starts where a key would repeat (or the
 * request is full), so each request holds at most one message per partition key.
 */
export function bulkRequests(messages: readonly BusMessage[], maxEntries = MAX_ENTRIES): BusMessage[][] {
  const requests: BusMessage[][] = [];
  let current: BusMessage[] = [];
  let keys = new Set<string>();
  for (const message of messages) {
    if (keys.has(message.partitionKey) || current.length >= maxEntries) {
      requests.push(current);
      current = [];
      keys = new Set();
    }
    current.push(message);
    keys.add(message.partitionKey);
  }
  if (current.length > 0) requests.push(current);
  return requests;
}

/**
 * The message as a bulk entry. Its traceparent goes into the CloudEvent (as `traceparent` and `traceid`,
 * which the sidecar keeps when present) since a bulk request has one header for all its entries.
 */
function entry(message: BusMessage, entryId: string) {
  const event = message.traceparent ? { ...message.event, traceparent: message.traceparent, traceid: message.traceparent } : message.event;
  return { entryId, event, contentType: CLOUDEVENT_CONTENT_TYPE, metadata: { partitionKey: message.partitionKey } };
}

async function postOnce(target: BulkTarget, topic: string, entries: ReadonlyArray<ReturnType<typeof entry>>): Promise<{ failed: Set<string> | null; status: number; detail: string }> {
  let response: Response;
  try {
    response = await fetch(`${target.base}/${encodeURIComponent(topic)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(entries),
      signal: AbortSignal.timeout(target.timeoutMs),
    });
  } catch (error) {
    throw new PublishFailed(`dapr sidecar unreachable at ${target.base}: ${error instanceof Error ? error.message : String(error)}`, { transient: true, status: null, cause: error });
  }
  if (response.ok) {
    await response.body?.cancel();
    return { failed: new Set(), status: response.status, detail: '' };
  }
  const text = await response.text().catch(() => '');
  let parsed: z.infer<typeof FailedEntries> | undefined;
  try {
    parsed = FailedEntries.parse(JSON.parse(text));
  } catch {
    parsed = undefined;
  }
  const failed = parsed?.failedEntries && parsed.failedEntries.length > 0 ? new Set(parsed.failedEntries.map((f) => f.entryId)) : null;
  return { failed, status: response.status, detail: text.slice(0, 500) };
}

/** Publishes one request's messages; the entries the sidecar reports failed are sent again, up to ATTEMPTS in all. */
async function publishRequest(target: BulkTarget, topic: string, messages: readonly BusMessage[]): Promise<void> {
  let pending = messages.map((message, i) => entry(message, String(i)));
  for (let attempt = 1; ; attempt++) {
    const outcome = await postOnce(target, topic, pending);
    if (outcome.failed?.size === 0) return;
    const transient = outcome.status >= 500 || outcome.status === 429 || outcome.status === 408;
    // No list of failed entries: the request as a whole was refused (malformed, unknown topic): nothing to narrow down.
    if (outcome.failed === null || attempt >= ATTEMPTS) {
      throw new PublishFailed(`dapr bulk publish to ${topic} answered ${outcome.status} for ${outcome.failed?.size ?? pending.length} of ${pending.length} entries: ${outcome.detail}`, {
        transient, status: outcome.status,
      });
    }
    const failed = outcome.failed;
    pending = pending.filter((e) => failed.has(e.entryId));
    await sleep(50 * attempt);
  }
}

/** Every message, topic by topic side by side; within a topic, request after request. */
export async function publishBulk(target: BulkTarget, messages: readonly BusMessage[]): Promise<void> {
  const byTopic = new Map<string, BusMessage[]>();
  for (const message of messages) {
    const list = byTopic.get(message.topic);
    if (list) list.push(message); else byTopic.set(message.topic, [message]);
  }
  // Settled, not raced: a failure returns only once no request is in flight, so a retry of the batch never
  // runs beside the requests of this attempt (which could reorder a key's messages).
  const outcomes = await Promise.allSettled([...byTopic].map(async ([topic, list]) => {
    for (const request of bulkRequests(list)) await publishRequest(target, topic, request);
  }));
  const failure = outcomes.find((outcome) => outcome.status === 'rejected');
  if (failure) throw failure.reason;
}
