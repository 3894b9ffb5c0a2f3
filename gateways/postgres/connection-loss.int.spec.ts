import { describe, expect, it } from 'vitest';
import { isTransient } from '../../projections/runtime/transient-error.ts';
import { testDatabase } from '../../test/support/test-database.ts';
import { createDb } from './db.ts';

describe('a pooled connection lost while checked out', () => {
  it('fails the transaction that holds it with a transient error, and the process and the pool carry on', async () => {
    const { db } = await testDatabase();
    // The server ends this very connection (57P01, then the socket closes), as a shutdown or restart does.
    const failure = await db.transaction((tx) => tx.query('SELECT pg_terminate_backend(pg_backend_pid())')).then(() => null, (error: unknown) => error);
    expect(isTransient(failure)).toBe(true);
    expect((await db.query<{ one: number }>('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
  });

  it('fails a session taken with connect() the same way', async () => {
    const { db } = await testDatabase();
    const client = await db.connect();
    const failure = await client.query('SELECT pg_terminate_backend(pg_backend_pid())').then(() => null, (error: unknown) => error);
    client.release(true);
    expect(isTransient(failure)).toBe(true);
    expect((await db.query<{ one: number }>('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
  });
});

describe('a pool whose connections are all taken', () => {
  it('fails a query that waits past the connect timeout with a transient error, and serves again once one is free', async () => {
    const { url } = await testDatabase();
    const db = createDb(url, { max: 1, connectTimeoutMs: 200 });
    const held = await db.connect();
    try {
      const failure = await db.query('SELECT 1').then(() => null, (error: unknown) => error);
      expect(isTransient(failure)).toBe(true);
    } finally {
      held.release();
    }
    expect((await db.query<{ one: number }>('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    await db.close();
  });
});
