import { Writable } from 'node:stream';
import Fastify, { type FastifyBaseLogger } from 'fastify';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { TaskCloudEvent } from '../../contracts/events/cloudevent.ts';
import { registerDaprSubscriptions, type SubscriberAnswer } from './dapr-subscription.routes.ts';

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
