import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BusMessage } from '../../contracts/ports/event-publisher.ts';
import { startRecordingServer, type RecordingServer } from '../../test/support/recording-http-server.ts';
import { bulkRequests, bulkRounds } from './dapr-bulk-publish.ts';
import { daprPublisher } from './dapr-publisher.ts';

let sidecar: RecordingServer;
beforeAll(async () => { sidecar = await startRecordingServer({ status: 204 }); });
afterAll(async () => { await sidecar.close(); });

const publisherTo = (url: string) => daprPublisher({ httpPort: Number(new URL(url).port), pubsubName: 'kafka-pubsub' });
const TASK_A = '0b7c8a52-6f1e-4d7b-9a3c-2f5e1d9c8b7a';
const TASK_B = '1c8d9b63-7a2f-4e8c-8b4d-3a6f2e0d9c8b';
const message = (topic: BusMessage['topic'], partitionKey: string, id: string, traceparent?: string): BusMessage =>
  ({ topic, partitionKey, event: { specversion: '1.0', id }, ...(traceparent ? { traceparent } : {}) });

interface Entry { entryId: string; event: { id: string; traceparent?: string; traceid?: string }; contentType: string; metadata: { partitionKey: string } }
const entriesOf = (body: unknown): Entry[] => body as Entry[];
/** A recorded request's path and query apart (the sidecar reads request metadata from the query). */
const urlOf = (path: string) => new URL(path, 'http://sidecar');

describe('bulk publish through the Dapr sidecar', () => {
  it('sends each topic\'s messages in one request, as structured CloudEvents keyed by task', async () => {
    sidecar.requests.length = 0;
    await publisherTo(sidecar.url).publishAll([
      message('task-events', TASK_A, 'a1'), message('task-updates', TASK_A, 'a1:change'), message('task-events', TASK_B, 'b1'),
    ]);
    const byPath = new Map(sidecar.requests.map((r) => [urlOf(r.path).pathname, entriesOf(r.body)]));
    expect([...byPath.keys()].sort()).toEqual(['/v1.0/publish/bulk/kafka-pubsub/task-events', '/v1.0/publish/bulk/kafka-pubsub/task-updates']);
    const events = byPath.get('/v1.0/publish/bulk/kafka-pubsub/task-events') ?? [];
    expect(events.map((e) => [e.event.id, e.metadata.partitionKey, e.contentType])).toEqual([
      ['a1', TASK_A, 'application/cloudevents+json'], ['b1', TASK_B, 'application/cloudevents+json'],
    ]);
  });

  it('never puts two messages of one task in a request, so a retried entry cannot fall behind its successor', () => {
    const batch = [message('task-events', TASK_A, 'a1'), message('task-events', TASK_B, 'b1'), message('task-events', TASK_A, 'a2'), message('task-events', TASK_B, 'b2')];
    expect(bulkRequests(batch).map((request) => request.map((m) => (m.event as { id: string }).id))).toEqual([['a1', 'b1'], ['a2', 'b2']]);
    expect(bulkRequests(batch, 1)).toHaveLength(4);
  });

  it('sends a task\'s next message in the round after its last one, and the requests of a round side by side', () => {
    const TASK_C = '2d9e0c74-8b3a-4f9d-9c5e-4b7a3f1e0d9c';
    const ids = (rounds: BusMessage[][][]) => rounds.map((round) => round.map((request) => request.map((m) => (m.event as { id: string }).id)));
    const batch = [message('task-events', TASK_A, 'a1'), message('task-events', TASK_A, 'a2'), message('task-events', TASK_B, 'b1'),
      message('task-events', TASK_C, 'c1'), message('task-events', TASK_A, 'a3'), message('task-events', TASK_B, 'b2')];
    expect(ids(bulkRounds(batch))).toEqual([[['a1', 'b1', 'c1']], [['a2', 'b2']], [['a3']]]);
    // A round larger than a request: requests of distinct keys, in flight together.
    expect(ids(bulkRounds(batch, 2))).toEqual([[['a1', 'b1'], ['c1']], [['a2', 'b2']], [['a3']]]);
  });

  it('asks the sidecar to keep each CloudEvent as it is, not to wrap it in an envelope of its own', async () => {
    sidecar.requests.length = 0;
    await publisherTo(sidecar.url).publishAll([message('task-events', TASK_A, 'a1')]);
    expect(sidecar.requests.map((r) => Object.fromEntries(urlOf(r.path).searchParams))).toEqual([{ 'metadata.rawPayload': 'true' }]);
  });

  it('carries each message\'s traceparent in its CloudEvent, which the sidecar keeps', async () => {
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    await publisherTo(sidecar.url).publishAll([message('task-events', TASK_A, 'a1', traceparent), message('task-events', TASK_B, 'b1')]);
    const [traced, untraced] = entriesOf(sidecar.requests.at(-1)?.body);
    expect(traced?.event).toMatchObject({ traceparent, traceid: traceparent });
    expect(untraced?.event.traceparent).toBeUndefined();
  });

  it('sends again only the entries the sidecar reports failed', async () => {
    sidecar.requests.length = 0;
    sidecar.reply({ status: 500, body: { failedEntries: [{ entryId: '1', error: 'broker timeout' }], errorCode: 'ERR_PUBSUB_PUBLISH_MESSAGE' } });
    await publisherTo(sidecar.url).publishAll([message('task-events', TASK_A, 'a1'), message('task-events', TASK_B, 'b1')]);
    expect(sidecar.requests.map((r) => entriesOf(r.body).map((e) => e.event.id))).toEqual([['a1', 'b1'], ['b1']]);
  });

  it('fails the call, so the relay checkpoints nothing, when entries keep failing or the request is refused', async () => {
    const failed = { status: 500, body: { failedEntries: [{ entryId: '0', error: 'broker down' }] } };
    sidecar.reply(failed, failed, failed, { status: 400, body: { errorCode: 'ERR_PUBSUB_EVENTS_SER' } });
    const publisher = publisherTo(sidecar.url);
    await expect(publisher.publishAll([message('task-events', TASK_A, 'a1')])).rejects.toMatchObject({ name: 'PublishFailed', transient: true, status: 500 });
    await expect(publisher.publishAll([message('task-events', TASK_A, 'a1')])).rejects.toMatchObject({ name: 'PublishFailed', transient: false, status: 400 });
  });
});
