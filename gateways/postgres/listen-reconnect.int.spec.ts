import { describe, expect, it } from 'vitest';
import { testDatabase } from '../../test/support/test-database.ts';
import { listen } from './listen.ts';

describe('a LISTEN connection the server ends', () => {
  it('reconnects by itself, tells its reader to look for itself, and receives notifications again', async () => {
    const { db, url } = await testDatabase();
    const received: Array<string | null> = [];
    let arrived: () => void = () => undefined;
    const next = () => new Promise<void>((resolve) => { arrived = resolve; });
    let wait = next();
    const listener = await listen(url, 'reconnect_test', (payload) => { received.push(payload); arrived(); });
    await wait; // the look-for-yourself call after the first connect
    wait = next();

    // What a database restart does to it: the server ends the connection.
    await db.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'todo-listen-reconnect_test'");
    await wait;
    expect(received).toEqual([null, null]);

    wait = next();
    await db.query("SELECT pg_notify('reconnect_test', 'after')");
    await wait;
    expect(received).toEqual([null, null, 'after']);
    await listener.close();
  });
});
