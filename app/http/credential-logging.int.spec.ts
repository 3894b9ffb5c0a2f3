import { beforeAll, describe, expect, it } from 'vitest';
import { FeedClient } from '../../test/support/feed-client.ts';
import { startTestSystem, type TestSystem } from '../../test/support/test-system.ts';

let t: TestSystem;
// At trace level, so that a credential in a debug or trace line would be caught too.
beforeAll(async () => { t = await startTestSystem({ env: { LOG_LEVEL: 'trace' } }); });

const lineMentioning = (secret: string) => t.logs.find((line) => JSON.stringify(line).includes(secret));

describe('credentials in the logs', () => {
  it('logs no token a WebSocket client passed as ?access_token= or as its subprotocol, at any level', async () => {
    const inQuery = await t.token('logged-alice');
    const inProtocol = await t.token('logged-bob');
    const wsUrl = `${t.baseUrl.replace('http', 'ws')}/ws`;
    for (const client of [new FeedClient(`${wsUrl}?access_token=${inQuery}`), new FeedClient(wsUrl, { protocols: ['bearer', inProtocol] })]) {
      await client.until((frames) => frames.some((frame) => frame.type === 'ready'));
      client.close();
      await client.closed;
    }
    expect(lineMentioning(inQuery)).toBeUndefined();
    expect(lineMentioning(inProtocol)).toBeUndefined();
    expect(t.logs.some((line) => JSON.stringify(line).includes('/ws?access_token=[redacted]'))).toBe(true);
  });

  it('logs no token in the query of an HTTP request, nor in its Authorization header', async () => {
    const token = await t.token('logged-carol');
    await t.call('GET', `/api/tasks?limit=5&access_token=${token}`, { user: null, headers: { authorization: `Bearer ${token}` } });
    await t.call('GET', `/api/nothing-here?token=${token}`, { user: null });
    expect(lineMentioning(token)).toBeUndefined();
    expect(t.logs.some((line) => JSON.stringify(line).includes('/api/tasks?limit=5&access_token=[redacted]'))).toBe(true);
  });
});
