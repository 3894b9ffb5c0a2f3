import { Writable } from 'node:stream';
import Fastify, { type FastifyBaseLogger } from 'fastify';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { TaskCloudEvent } from '../../contracts/events/cloudevent.ts';
import { registerDaprSubscriptions, type SubscriberAnswer } from './dapr-subscription.routes.ts';
import type { BulkDelivery } from './dapr-bulk-delivery.ts';

async function subscriber(handle: (event: Record<string, unknown>) => Promise<SubscriberAnswer>) {
  const app = Fastify();
  registerDaprSubscriptions(app, { pubsubName: 'kafka-pubsub', subscriptions: [{ topic: 'task-events', route: '/dapr/audit/task-events', envelope: TaskCloudEvent, handle }] });
  await app.ready();
  return app;
}

const deliver = (app: Awaited<ReturnType<typeof subscriber>>, body: unknown) => app.inject({
  method: 'POST', url: '/dapr/audit/task-events', headers: { 'content-type': 'application/cloudevents+json' }, payload: JSON.stringify(body),
});

describe('Dapr subscriptions served by fastify', () => {
  it('declares each topic with its delivery route', async () => {
    const app = await subscriber(() => Promise.resolve('SUCCESS'));
    const reply = await app.inject({ method: 'GET', url: '/dapr/subscribe' });
    expect(reply.json()).toEqual([{ pubsubname: 'kafka-pubsub', topic: 'task-events', route: '/dapr/audit/task-events' }]);
  });

  it('hands the handler our CloudEvent without the attributes Dapr added, and answers its verdict', async () => {
    const received: Array<Record<string, unknown>> = [];
    const app = await subscriber((event) => { received.push(event); return Promise.resolve('DROP'); });
    const reply = await deliver(app, { specversion: '1.0', id: 'e-1', topic: 'task-events', pubsubname: 'kafka-pubsub', traceid: 't', tracestate: '' });
    expect(reply.statusCode).toBe(200);
    expect(reply.json()).toEqual({ status: 'DROP' });
    expect(received).toEqual([{ specversion: '1.0', id: 'e-1' }]);
  });

  it('answers RETRY, never SUCCESS, when the handler throws', async () => {
    const app = await subscriber(() => Promise.reject(new Error('boom')));
    expect((await deliver(app, { id: 'e-2' })).json()).toEqual({ status: 'RETRY' });
  });

  it('logs a delivery under the trace its CloudEvent carries', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const sink = new Writable({ write(chunk: Buffer, _encoding, done) { lines.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>); done(); } });
    const loggerInstance: FastifyBaseLogger = pino(sink);
    const app = Fastify({ loggerInstance });
    registerDaprSubscriptions(app, {
      pubsubName: 'kafka-pubsub',
      subscriptions: [{ topic: 'task-events', route: '/dapr/audit/task-events', envelope: TaskCloudEvent, handle: (_event, log) => { log.info('handled'); return Promise.resolve('SUCCESS'); } }],
    });
    await app.ready();
    await deliver(app, { specversion: '1.0', id: 'e-3', traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' });
    const traced = lines.filter((line) => line['trace_id'] === '4bf92f3577b34da6a3ce929d0e0e4736').map((line) => line['msg']);
    expect(traced).toEqual(['handled', 'request completed']);
  });

  it('drops a body that is not a CloudEvent object', async () => {
    const app = await subscriber(() => Promise.resolve('SUCCESS'));
    expect((await deliver(app, ['not', 'an', 'event'])).json()).toEqual({ status: 'DROP' });
  });
});

describe('a Dapr bulk subscription served by fastify', () => {
  const bulkSubscriber = async (handle: BulkDelivery['handle']) => {
    const app = Fastify();
    registerDaprSubscriptions(app, {
      pubsubName: 'kafka-pubsub',
      subscriptions: [{
        topic: 'task-events', route: '/dapr/audit/task-events', envelope: TaskCloudEvent,
        handle: () => Promise.resolve('SUCCESS'),
        bulk: { maxMessages: 100, maxAwaitMs: 10, handle },
      }],
    });
    await app.ready();
    return app;
  };
  /** As Dapr 1.18's runtime sends it: one entry per Kafka message of a partition, each event a delivered CloudEvent. */
  const bulkRequest = (events: unknown[]) => ({
    id: 'b-1', type: 'com.dapr.event.sent.bulk', topic: 'task-events', pubsubname: 'kafka-pubsub', metadata: { pubsubName: 'kafka-pubsub' },
    entries: events.map((event, i) => ({
      entryId: String(i), event, contentType: 'application/cloudevents+json', metadata: { partition: '0', offset: String(40 + i), __key: 'k' },
    })),
  });
  const deliverBulk = (app: Awaited<ReturnType<typeof bulkSubscriber>>, body: unknown) => app.inject({
    method: 'POST', url: '/dapr/audit/task-events', headers: { 'content-type': 'application/json' }, payload: JSON.stringify(body),
  });

  it('asks the sidecar for many messages per request', async () => {
    const app = await bulkSubscriber(() => Promise.resolve([]));
    const reply = await app.inject({ method: 'GET', url: '/dapr/subscribe' });
    expect(reply.json()).toEqual([{
      pubsubname: 'kafka-pubsub', topic: 'task-events', route: '/dapr/audit/task-events',
      bulkSubscribe: { enabled: true, maxMessagesCount: 100, maxAwaitDurationMs: 10 },
    }]);
  });

  it('hands the handler the request\'s CloudEvents in order, without Dapr\'s attributes, and answers each entry', async () => {
    const received: Array<ReadonlyArray<Record<string, unknown>>> = [];
    const app = await bulkSubscriber((events) => { received.push(events); return Promise.resolve(['SUCCESS', 'DROP']); });
    const reply = await deliverBulk(app, bulkRequest([
      { specversion: '1.0', id: 'e-1', topic: 'task-events', pubsubname: 'kafka-pubsub', traceid: 't' },
      { specversion: '1.0', id: 'e-2', tracestate: '' },
    ]));
    expect(reply.statusCode).toBe(200);
    expect(reply.json()).toEqual({ statuses: [{ entryId: '0', status: 'SUCCESS' }, { entryId: '1', status: 'DROP' }] });
    expect(received).toEqual([[{ specversion: '1.0', id: 'e-1' }, { specversion: '1.0', id: 'e-2' }]]);
  });

  it('drops an entry that is not a CloudEvent object where it stands, and hands on the others', async () => {
    const received: Array<ReadonlyArray<Record<string, unknown>>> = [];
    const app = await bulkSubscriber((events) => { received.push(events); return Promise.resolve(events.map(() => 'SUCCESS' as const)); });
    const reply = await deliverBulk(app, bulkRequest([{ id: 'e-1' }, 'not an event', { id: 'e-3' }]));
    expect(reply.json()).toEqual({ statuses: [{ entryId: '0', status: 'SUCCESS' }, { entryId: '1', status: 'DROP' }, { entryId: '2', status: 'SUCCESS' }] });
    expect(received).toEqual([[{ id: 'e-1' }, { id: 'e-3' }]]);
  });

  it('answers RETRY for every entry after one that has to come again, so they come again behind it', async () => {
    const app = await bulkSubscriber(() => Promise.resolve(['SUCCESS', 'RETRY', 'SUCCESS', 'DROP']));
    const reply = await deliverBulk(app, bulkRequest([{ id: 'e-1' }, { id: 'e-2' }, { id: 'e-3' }, { id: 'e-4' }]));
    expect(reply.json()).toEqual({ statuses: ['SUCCESS', 'RETRY', 'RETRY', 'RETRY'].map((status, i) => ({ entryId: String(i), status })) });
  });

  it('answers RETRY, never SUCCESS, for every entry when the handler throws', async () => {
    const app = await bulkSubscriber(() => Promise.reject(new Error('boom')));
    const reply = await deliverBulk(app, bulkRequest([{ id: 'e-1' }, { id: 'e-2' }]));
    expect(reply.json()).toEqual({ statuses: [{ entryId: '0', status: 'RETRY' }, { entryId: '1', status: 'RETRY' }] });
  });

  it('takes a request larger than any one command body', async () => {
    const description = 'x'.repeat(60 * 1024);
    const app = await bulkSubscriber((events) => Promise.resolve(events.map(() => 'SUCCESS' as const)));
    const reply = await deliverBulk(app, bulkRequest([{ id: 'e-1', description }, { id: 'e-2', description }, { id: 'e-3', description }]));
    expect(reply.statusCode).toBe(200);
    expect(reply.json<{ statuses: unknown[] }>().statuses).toHaveLength(3);
  });

  it('still answers a single CloudEvent delivered on its route', async () => {
    const app = await bulkSubscriber(() => Promise.resolve([]));
    expect((await deliver(app, { specversion: '1.0', id: 'e-1' })).json()).toEqual({ status: 'SUCCESS' });
  });
});
