import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { CLOUDEVENT_CONTENT_TYPE } from '../../contracts/events/cloudevent.ts';
import { PublishFailed, type BusMessage } from '../../contracts/ports/event-publisher.ts';

/*
 * Many messages per request through the sidecar's bulk publish (`POST /v1.0/publish/bulk/{pubsub}/{topic}`; Dapr 1.18 serves it under v1.0 and v1.0-alpha1),
 * Kafka's producer batch behind it). The sidecar answers each entry: 2xx when all were published, otherwise
 * the ids of the entries that failed. Only those are sent again; a request never holds two messages of one
 * partition key, and a key's next message goes out only once this one was acknowledged, so a retried entry
 * cannot fall behind a later message of its key (order per task holds as with one publish at a time).
 */

/**
 * Entries per request. A topic's share of a relay batch (500 events) goes out as a few requests side by
 * side: the sidecar works on them on several goroutines and Kafka's acknowledgement of one overlaps the
 * envelope work of the next, where one large request would keep a single core busy at a time.
 */
const MAX_ENTRIES = 128;
/** Attempts for the entries the sidecar reports failed, before the whole call fails (and the relay's retry takes over). */
const ATTEMPTS = 3;

const FailedEntries = z.looseObject({
  failedEntries: z.array(z.looseObject({ entryId: z.string(), error: z.string().optional() })).optional(),
  errorCode: z.string().optional(),
  message: z.string().optional(),
});

export interface BulkTarget { readonly base: string; readonly timeoutMs: number }

/**
 * One topic's messages as rounds of requests: round k holds the k-th message of each partition key, in log
 * order, cut into requests of at most `maxEntries`. A round's requests share no key, so they may be in flight
 * together; a round starts once the one before it was acknowledged, so a task's messages reach Kafka in
 * order, and an entry sent again can never fall behind its successor.
 */
export function bulkRounds(messages: readonly BusMessage[], maxEntries = MAX_ENTRIES): BusMessage[][][] {
  const rounds: BusMessage[][] = [];
  const seen = new Map<string, number>();
  for (const message of messages) {
    const round = seen.get(message.partitionKey) ?? 0;
    seen.set(message.partitionKey, round + 1);
    const list = rounds[round];
    if (list) list.push(message); else rounds[round] = [message];
  }
  return rounds.map((round) => {
    const requests: BusMessage[][] = [];
    for (let from = 0; from < round.length; from += maxEntries) requests.push(round.slice(from, from + maxEntries));
    return requests;
  });
}

/** The requests for one topic's messages, in the order their rounds go out; no request holds a key twice. */
export function bulkRequests(messages: readonly BusMessage[], maxEntries = MAX_ENTRIES): BusMessage[][] {
  return bulkRounds(messages, maxEntries).flat();
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
    response = await fetch(`${target.base}/${encodeURIComponent(topic)}?metadata.rawPayload=true`, {
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

/**
 * Settles every promise before it answers: a failure is thrown only once nothing is in flight, so a retry of
 * the batch never runs beside requests of this attempt (which could reorder a key's messages).
 */
async function allSettled(work: ReadonlyArray<Promise<void>>): Promise<void> {
  const failure = (await Promise.allSettled(work)).find((outcome) => outcome.status === 'rejected');
  if (failure) throw failure.reason;
}

/** Every message: topics side by side; within a topic, round after round, each round's requests side by side. */
export async function publishBulk(target: BulkTarget, messages: readonly BusMessage[]): Promise<void> {
  const byTopic = new Map<string, BusMessage[]>();
  for (const message of messages) {
    const list = byTopic.get(message.topic);
    if (list) list.push(message); else byTopic.set(message.topic, [message]);
  }
  await allSettled([...byTopic].map(async ([topic, list]) => {
    for (const round of bulkRounds(list)) await allSettled(round.map((request) => publishRequest(target, topic, request)));
  }));
}
