import { beforeAll, describe, expect, it } from 'vitest';
import { FeedClient } from '../../test/support/feed-client.ts';
import { startTestSystem, type TestSystem } from '../../test/support/test-system.ts';

let t: TestSystem;
let wsUrl: string;
beforeAll(async () => {
  t = await startTestSystem({ env: { LIVE_MAX_REPLAY_EVENTS: '55', WS_HEARTBEAT_SECONDS: '0.2', WS_MAX_BUFFERED_BYTES: '65536' } });
  wsUrl = `${t.baseUrl.replace('http', 'ws')}/ws`;
});

async function connect(user: string, via: 'header' | 'query' | 'subprotocol' = 'header'): Promise<FeedClient> {
  const token = await t.token(user);
  const client = via === 'header' ? new FeedClient(wsUrl, { headers: { authorization: `Bearer ${token}` } })
    : via === 'query' ? new FeedClient(`${wsUrl}?access_token=${token}`)
      : new FeedClient(wsUrl, { protocols: ['bearer', token] });
  await client.opened;
  await client.until((frames) => frames.some((f) => f.type === 'ready'));
  return client;
}

const create = async (user: string, title: string) =>
  (await t.call('POST', '/api/tasks', { user, body: { title } })).body as { task_id: string; position: number };

describe('GET /ws, the live feed', () => {
  it('accepts the token in the Authorization header, ?access_token= or the bearer subprotocol, and says ready', async () => {
    for (const via of ['header', 'query', 'subprotocol'] as const) {
      const client = await connect('alice', via);
      expect(client.frames[0]).toMatchObject({ type: 'ready' });
      if (via === 'subprotocol') expect(client.socket.protocol).toBe('bearer');
      client.close();
    }
  });

  it('answers a plain HTTP GET (no upgrade) with a problem+json 426 naming the upgrade, after checking its documented parts and its token', async () => {
    expect((await t.call('GET', '/ws', { user: null })).status).toBe(401);
    const plain = await t.call('GET', '/ws');
    expect(plain.status).toBe(426);
    expect(plain.headers.get('content-type')).toContain('application/problem+json');
    expect(plain.headers.get('upgrade')).toBe('websocket');
    expect(plain.body).toMatchObject({ status: 426, type: 'urn:todo:problem:upgrade_required' });
    const empty = await t.call('GET', '/ws?access_token=');
    expect(empty.status).toBe(400);
    expect(empty.body).toMatchObject({ errors: [{ path: 'query.access_token' }] });
  });

  it('closes with 4401 for a missing or bad token', async () => {
    for (const client of [new FeedClient(wsUrl), new FeedClient(`${wsUrl}?access_token=not.a.jwt`)]) {
      expect((await client.closed).code).toBe(4401);
    }
  });

  it('sends each user only their own changes, in order, with the task after each change', async () => {
    const alice = await connect('alice');
    const bob = await connect('bob');
    const a = await create('alice', 'Alice 1');
    const b = await create('bob', 'Bob 1');
    await t.call('POST', `/api/tasks/${a.task_id}/complete`, { user: 'alice' });
    await t.call('DELETE', `/api/tasks/${a.task_id}`, { user: 'alice' });
    await alice.until(() => alice.changes().length >= 3);
    await bob.until(() => bob.changes().length >= 1);
    expect(alice.changes().map((f) => [f.task_id, f.version, f.event_type])).toEqual([
      [a.task_id, 1, 'TaskCreated'], [a.task_id, 2, 'TaskCompleted'], [a.task_id, 3, 'TaskDeleted']]);
    expect(alice.changes()[0]?.task).toMatchObject({ title: 'Alice 1', status: 'open' });
    expect(alice.changes()[2]?.task).toBeNull();
    expect(bob.changes().map((f) => f.task_id)).toEqual([b.task_id]);
    alice.close();
    bob.close();
  });

  it('replays exactly the 50 changes a client missed, in order, then goes live', async () => {
    const first = await connect('carol');
    const seed = await create('carol', 'Before the gap');
    await first.until(() => first.changes().length >= 1);
    const lastSeen = first.changes().at(-1)?.position ?? 0;
    expect(lastSeen).toBe(seed.position);
    first.close();
    await first.closed;

    const missed: number[] = [];
    for (let i = 0; i < 50; i++) missed.push((await create('carol', `Missed ${i}`)).position);
    await create('dave', 'Not carol\'s');

    const second = await connect('carol');
    second.send({ type: 'resume', after: lastSeen });
    await second.until(() => second.changes().length >= 50);
    const live = await create('carol', 'After the resume');
    await second.until(() => second.changes().some((f) => f.position === live.position));
    const positions = second.changes().map((f) => f.position);
    expect(positions).toEqual([...missed, live.position]);
    expect(second.changes().slice(0, 50).map((f) => f.task?.title)).toEqual(missed.map((_, i) => `Missed ${i}`));
    second.close();
  });

  it('sends reset when a resume is further back than the replay bound (55 events here), or not a position at all', async () => {
    const total = (await t.system.store.readLogHead()).position;
    expect(total).toBeGreaterThan(55);
    for (const after of [0, 999_999_999]) {
      const client = await connect('erin');
      client.send({ type: 'resume', after });
      const frames = await client.until((f) => f.some((frame) => frame.type === 'reset'));
      expect(frames.find((f) => f.type === 'reset')).toMatchObject({ type: 'reset' });
      client.close();
    }
  });

  it('closes a connection that sends something other than a resume frame', async () => {
    const client = await connect('frank');
    client.send({ type: 'subscribe', to: 'everything' });
    expect((await client.closed).code).toBe(4400);
  });

  it('pings to keep the connection alive', async () => {
    const client = await connect('gina');
    await new Promise<void>((resolve) => client.socket.once('ping', () => resolve()));
    client.close();
  });

  it('counts open connections in websocket_connections_active', async () => {
    const client = await connect('henry');
    const metrics = (await t.call('GET', '/metrics', { user: null })).text;
    expect(metrics).toMatch(/^websocket_connections_active [1-9]\d*$/m);
    client.close();
  });
});

describe('a client that stops reading', () => {
  // Its own system: with a short heartbeat the silent client would be dropped for not answering pings first.
  beforeAll(async () => {
    t = await startTestSystem({ env: { WS_HEARTBEAT_SECONDS: '600', WS_MAX_BUFFERED_BYTES: '65536' } });
    wsUrl = `${t.baseUrl.replace('http', 'ws')}/ws`;
  });

  it('disconnects a client that stops reading instead of buffering without bound', async () => {
    const client = await connect('slow');
    client.socket.pause();
    const description = 'x'.repeat(9900);
    // Big frames, many tasks: the kernel's socket buffers fill, then the server's send buffer passes the bound.
    for (let round = 0; round < 100; round++) {
      await Promise.all(Array.from({ length: 10 }, (_, i) =>
        t.call('POST', '/api/tasks', { user: 'slow', body: { title: `Big ${round}-${i}`, description } })));
      const metrics = (await t.call('GET', '/metrics', { user: null })).text;
      if (/^websocket_slow_consumer_disconnects_total [1-9]/m.test(metrics)) break;
    }
    const metrics = (await t.call('GET', '/metrics', { user: null })).text;
    expect(metrics).toMatch(/^websocket_slow_consumer_disconnects_total [1-9]/m);
    // A client that reads again only a while later still gets the close frame behind its buffered frames.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    client.socket.resume();
    expect((await client.closed).code).toBe(4008);
  }, 120_000);
});
