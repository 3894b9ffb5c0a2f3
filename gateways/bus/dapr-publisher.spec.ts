import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PublishFailed } from '../../contracts/ports/event-publisher.ts';
import { startRecordingServer, type RecordingServer } from '../../test/support/recording-http-server.ts';
import { freePort } from '../../test/distributed/support/free-port.ts';
import { daprPublisher } from './dapr-publisher.ts';

let sidecar: RecordingServer;
beforeAll(async () => { sidecar = await startRecordingServer({ status: 204 }); });
afterAll(async () => { await sidecar.close(); });

const publisherTo = (url: string) => daprPublisher({ httpPort: Number(new URL(url).port), pubsubName: 'kafka-pubsub' });
const message = { topic: 'task-events', partitionKey: '0b7c8a52-6f1e-4d7b-9a3c-2f5e1d9c8b7a', event: { specversion: '1.0', id: 'e-1' } } as const;

describe('the Dapr HTTP publisher', () => {
  it('posts our structured CloudEvent to the topic with the task id as partition key', async () => {
    await publisherTo(sidecar.url).publish(message);
    const request = sidecar.requests.at(-1);
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe(`/v1.0/publish/kafka-pubsub/task-events?metadata.partitionKey=${message.partitionKey}`);
    expect(request?.headers['content-type']).toBe('application/cloudevents+json');
    expect(request?.body).toEqual(message.event);
  });

  it('sends the change\'s traceparent as a header, which the sidecar writes into the delivered CloudEvent', async () => {
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    await publisherTo(sidecar.url).publish({ ...message, traceparent });
    expect(sidecar.requests.at(-1)?.headers['traceparent']).toBe(traceparent);
    await publisherTo(sidecar.url).publish(message);
    expect(sidecar.requests.at(-1)?.headers['traceparent']).toBeUndefined();
  });

  it('never takes a non-2xx answer for published: a 5xx is transient, a 4xx is about the message', async () => {
    sidecar.reply({ status: 500, body: { errorCode: 'ERR_PUBSUB_PUBLISH_MESSAGE' } }, { status: 400, body: { errorCode: 'ERR_MALFORMED_REQUEST' } });
    const publisher = publisherTo(sidecar.url);
    await expect(publisher.publish(message)).rejects.toMatchObject({ name: 'PublishFailed', transient: true, status: 500 });
    await expect(publisher.publish(message)).rejects.toMatchObject({ name: 'PublishFailed', transient: false, status: 400 });
  });

  it('reports an unreachable sidecar as transient', async () => {
    const publisher = daprPublisher({ httpPort: await freePort(), pubsubName: 'kafka-pubsub' });
    const failure = await publisher.publish(message).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(PublishFailed);
    expect(failure).toMatchObject({ transient: true, status: null });
  });
});
