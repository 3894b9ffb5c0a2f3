import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { APPENDS_CHANNEL } from '../../contracts/ports/event-log.ts';
import type { Queryable, QueryResult } from '../../contracts/ports/sql.ts';
import { upcastEvent } from '../../contracts/events/upcast.ts';
import { listen } from '../../gateways/postgres/listen.ts';
import { testDatabase, type TestDatabase } from '../../test/support/test-database.ts';
import { announcingAppends, appendAnnouncer } from './append-announcer.ts';
import { postgresEventStore } from './event-store.ts';
import { LOG_START, type NewEvent } from './types.ts';

let t: TestDatabase;

beforeAll(async () => {
  t = await testDatabase();
});

const metadata = { user_id: 'u1', correlation_id: 'c1', causation_id: null, traceparent: null, idempotency_key: null, request_id: null };
const event = (): NewEvent => ({ event_id: randomUUID(), type: 'TaskReopened', schema_version: 1, data: { n: 1 }, metadata });

/** Waits until the announcer has sent `count` notifications in all (it waits a moment to coalesce first). */
const sent = async (held: { sent: string[] }, count: number) => vi.waitFor(() => expect(held.sent).toHaveLength(count));

/** A Queryable whose queries wait until the test lets them finish, counting what was sent. */
function heldQueries(): { db: Queryable; sent: string[]; finishAll(): void; failNext(error: Error): void } {
  const sent: string[] = [];
  let pending: Array<() => void> = [];
  let failure: Error | null = null;
  return {
    sent,
    db: {
      query<R extends object>(text: string): Promise<QueryResult<R>> {
        sent.push(text);
        const error = failure;
        failure = null;
        return new Promise((resolve, reject) => {
          pending.push(() => (error ? reject(error) : resolve({ rows: [], rowCount: 0 })));
        });
      },
    },
    finishAll() {
      const now = pending;
      pending = [];
      for (const finish of now) finish();
    },
    failNext(error) { failure = error; },
  };
}

describe('wake-ups after commit (guarantee 6)', () => {
  it('wakes a LISTENing reader in another session, which then finds the appended event in the log', async () => {
    const store = postgresEventStore(t.db, upcastEvent);
    const announcer = appendAnnouncer({ db: t.db, wakeLocal: () => undefined, onError: (error) => { throw error; } });
    const stream = randomUUID();
    let woken: () => void = () => undefined;
    const wokenByAppend = new Promise<void>((resolve) => { woken = resolve; });
    let calls = 0;
    const listener = await listen(t.url, APPENDS_CHANNEL, () => {
      calls += 1;
      if (calls > 1) woken(); // the first call is the one made on connect
    });
    try {
      const result = await announcingAppends(store, announcer).append(stream, 'no_stream', [event()]);
      expect(result.ok).toBe(true);
      await wokenByAppend;
      const log = await store.readLogAfter(LOG_START, 10_000);
      expect(log.map((e) => e.stream_id)).toContain(stream);
    } finally {
      await announcer.settled();
      await listener.close();
    }
  });

  it('wakes readers in this process at once, before any notification has gone out', async () => {
    const held = heldQueries();
    let localWakes = 0;
    const announcer = appendAnnouncer({ db: held.db, wakeLocal: () => { localWakes += 1; }, onError: () => undefined });
    announcer.announce();
    expect(localWakes).toBe(1);
    expect(held.sent).toHaveLength(0);
    await sent(held, 1);
    held.finishAll();
    await announcer.settled();
  });

  it('coalesces: appends announced together share a notification; those while it is on its way cause exactly one more', async () => {
    const held = heldQueries();
    const announcer = appendAnnouncer({ db: held.db, wakeLocal: () => undefined, onError: () => undefined });
    for (let i = 0; i < 5; i++) announcer.announce();
    await sent(held, 1);
    for (let i = 0; i < 10; i++) announcer.announce();
    held.finishAll();
    await sent(held, 2);
    held.finishAll();
    await announcer.settled();
    expect(held.sent).toHaveLength(2);
    announcer.announce();
    await sent(held, 3);
    held.finishAll();
    await announcer.settled();
  });

  it('reports a notification that failed, and keeps announcing later appends', async () => {
    const held = heldQueries();
    const errors: unknown[] = [];
    const announcer = appendAnnouncer({ db: held.db, wakeLocal: () => undefined, onError: (error) => errors.push(error) });
    held.failNext(new Error('connection lost'));
    announcer.announce();
    await sent(held, 1);
    held.finishAll();
    await announcer.settled();
    expect(errors).toEqual([new Error('connection lost')]);
    announcer.announce();
    await sent(held, 2);
    held.finishAll();
    await announcer.settled();
    expect(held.sent).toHaveLength(2);
    expect(errors).toHaveLength(1);
  });

  it('announces nothing for an append that conflicted', async () => {
    const held = heldQueries();
    const announcer = appendAnnouncer({ db: held.db, wakeLocal: () => undefined, onError: () => undefined });
    const store = announcingAppends(postgresEventStore(t.db, upcastEvent), announcer);
    const stream = randomUUID();
    await postgresEventStore(t.db, upcastEvent).append(stream, 'no_stream', [event()]);
    const result = await store.append(stream, 'no_stream', [event()]);
    expect(result.ok).toBe(false);
    await announcer.settled();
    expect(held.sent).toHaveLength(0);
  });

  it('sends the notification with an asynchronous commit, so it never waits for a WAL flush', async () => {
    const held = heldQueries();
    const announcer = appendAnnouncer({ db: held.db, wakeLocal: () => undefined, onError: () => undefined });
    announcer.announce();
    await sent(held, 1);
    expect(held.sent[0]).toMatch(/set_config\('synchronous_commit', 'off', true\), pg_notify\('todo_events', ''\)/);
    held.finishAll();
    await announcer.settled();
  });
});
