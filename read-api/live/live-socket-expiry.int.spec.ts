import { SignJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { mintToken } from '../../gateways/auth/mint-token.ts';
import { FeedClient } from '../../test/support/feed-client.ts';
import { startTestSystem, TEST_SECRET, type TestSystem } from '../../test/support/test-system.ts';

let t: TestSystem;
let wsUrl: string;
beforeAll(async () => {
  t = await startTestSystem({ env: { WS_HEARTBEAT_SECONDS: '600' } });
  wsUrl = `${t.baseUrl.replace('http', 'ws')}/ws`;
});

const shortLived = (user: string, seconds: number) => mintToken({ secret: TEST_SECRET, userId: user, expiresIn: seconds });
const expiryOf = (token: string): number => (JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { exp: number }).exp * 1000;
const until = (epochMs: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, epochMs - Date.now())));

async function connect(token: string): Promise<FeedClient> {
  const client = new FeedClient(wsUrl, { headers: { authorization: `Bearer ${token}` } });
  await client.until((frames) => frames.some((frame) => frame.type === 'ready'));
  return client;
}

describe('a live-feed connection and its token', () => {
  it('is closed with 4401 when its token expires', async () => {
    // exp is in whole seconds: a token of 3 s lives 2–3 s, time enough to connect on a loaded machine
    // (a token of 1 s can expire before the upgrade, which is then refused, not closed at expiry).
    const client = await connect(await shortLived('expiring', 3));
    expect(await client.closed).toEqual({ code: 4401, reason: 'token expired' });
  });

  it('lives on past the first token\'s expiry when the client sends a fresh token for the same user', async () => {
    const first = await shortLived('renewing', 2);
    const client = await connect(first);
    client.send({ type: 'authenticate', token: await t.token('renewing') });
    await until(expiryOf(first) + 500);
    const created = (await t.call('POST', '/api/tasks', { user: 'renewing', body: { title: 'After the first token' } })).body as { position: number };
    await client.until(() => client.changes().some((frame) => frame.position === created.position));
    expect(client.socket.readyState).toBe(client.socket.OPEN);
    client.close();
  });

  it('is closed with 4401 when the fresh token is bad or names another user', async () => {
    for (const token of ['not.a.jwt', await t.token('someone-else')]) {
      const client = await connect(await t.token('switching'));
      client.send({ type: 'authenticate', token });
      expect((await client.closed).code).toBe(4401);
    }
  });

  it('is refused a token without exp', async () => {
    const forever = await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject('forever').sign(new TextEncoder().encode(TEST_SECRET));
    expect((await new FeedClient(wsUrl, { headers: { authorization: `Bearer ${forever}` } }).closed).code).toBe(4401);
  });
});
