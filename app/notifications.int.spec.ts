import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabase, type TestDatabase } from '../test/support/test-database.ts';
import { listenFor, type Notifications } from './notifications.ts';

let t: TestDatabase;
let notifications: Notifications;
beforeAll(async () => {
  t = await testDatabase();
  notifications = await listenFor(t.url, 'own_payload_test', pino({ level: 'silent' }), { ownPayload: 'this-process' });
});
afterAll(() => notifications.close());

describe('a process listening on a channel it also notifies', () => {
  it('passes over its own notifications (its subscribers were woken already) and hands on every other', async () => {
    const heard: Array<string | null> = [];
    notifications.subscribe((payload) => heard.push(payload));
    await t.db.query("SELECT pg_notify('own_payload_test', 'this-process')");
    await t.db.query("SELECT pg_notify('own_payload_test', 'another-process')");
    while (heard.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    // Notifications of one sender arrive in commit order: the first was passed over, not still on its way.
    expect(heard).toEqual(['another-process']);
    notifications.wakeHere();
    expect(heard).toEqual(['another-process', '']);
  });
});
