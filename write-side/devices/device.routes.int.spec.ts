import { beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type TestSystem } from '../../test/support/test-system.ts';

let t: TestSystem;
beforeAll(async () => { t = await startTestSystem({ env: { REMINDER_TICK_SECONDS: '0' } }); });

const owners = async (token: string) =>
  (await t.system.database.db.query<{ user_id: string; platform: string | null }>('SELECT user_id, platform FROM devices WHERE token = $1', [token])).rows;

describe('the devices endpoints', () => {
  it('register a device for push reminders, and registering it again changes nothing', async () => {
    const first = await t.call('POST', '/api/devices', { body: { token: 'fcm-token-1', platform: 'android' } });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ token: 'fcm-token-1', platform: 'android' });
    expect(Date.parse((first.body as { created_at: string }).created_at)).not.toBeNaN();
    const again = await t.call('POST', '/api/devices', { body: { token: 'fcm-token-1' } });
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(await owners('fcm-token-1')).toEqual([{ user_id: 'alice', platform: 'android' }]);
  });

  it('move a device to the user who registers it last (the device is signed in as them now)', async () => {
    await t.call('POST', '/api/devices', { body: { token: 'shared-tablet', platform: 'ios' } });
    expect((await t.call('POST', '/api/devices', { user: 'bob', body: { token: 'shared-tablet' } })).status).toBe(201);
    expect(await owners('shared-tablet')).toEqual([{ user_id: 'bob', platform: null }]);
    expect((await t.call('DELETE', '/api/devices/shared-tablet')).status).toBe(404);
  });

  it('remove only the caller\'s own device: another user\'s token is not found', async () => {
    await t.call('POST', '/api/devices', { body: { token: 'fcm-token-2' } });
    const foreign = await t.call('DELETE', '/api/devices/fcm-token-2', { user: 'bob' });
    expect(foreign.status).toBe(404);
    expect(foreign.headers.get('content-type')).toContain('application/problem+json');
    expect((await t.call('DELETE', '/api/devices/fcm-token-2')).status).toBe(204);
    expect((await t.call('DELETE', '/api/devices/fcm-token-2')).status).toBe(404);
    expect(await owners('fcm-token-2')).toEqual([]);
  });

  it('remove a device by a token as long as documented (4096 characters), and refuse a longer one with 400', async () => {
    const long = `fcm-${'x'.repeat(4092)}`;
    expect((await t.call('POST', '/api/devices', { body: { token: long } })).status).toBe(201);
    expect((await t.call('DELETE', `/api/devices/${long}`)).status).toBe(204);
    expect((await t.call('DELETE', `/api/devices/${'y'.repeat(150)}`)).status).toBe(404);
    const over = await t.call('DELETE', `/api/devices/${'z'.repeat(4097)}`);
    expect(over.status).toBe(400);
    expect(over.body).toMatchObject({ errors: [{ path: 'params.token' }] });
  });

  it('reject a bad body with 400 and each field\'s path, and a missing token with 401', async () => {
    const cases: Array<[unknown, string]> = [
      [{}, 'body.token'],
      [{ token: '' }, 'body.token'],
      [{ token: 'x', platform: 'symbian' }, 'body.platform'],
      [{ token: 'x', colour: 'red' }, 'body'],
    ];
    for (const [body, path] of cases) {
      const response = await t.call('POST', '/api/devices', { body });
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect((response.body as { errors: Array<{ path: string }> }).errors.map((e) => e.path)).toContain(path);
    }
    expect((await t.call('POST', '/api/devices', { user: null, body: { token: 'x' } })).status).toBe(401);
    expect(await owners('x')).toEqual([]);
  });
});
