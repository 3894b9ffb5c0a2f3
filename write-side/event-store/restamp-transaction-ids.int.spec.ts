import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { readLogAfter } from './read-log.sql.ts';
import { unorderableLog } from './log-order.sql.ts';
import { testDatabase, type TestDatabase } from '../../test/support/test-database.ts';
import { restampTransactionIds } from './restamp-transaction-ids.sql.ts';

/*
 * A log copied from another cluster, with that cluster's transaction ids far in this one's future and one
 * transaction that committed out of position order, plus a projection checkpoint and a dead letter that
 * point into it. Re-stamping must bring every id below this server's horizon and keep the log's order and
 * every point in it.
 */

let t: TestDatabase;
const FUTURE = 4_000_000_000n;
// (transaction id offset, position): position 4's transaction is older than position 3's.
const LOG: ReadonlyArray<readonly [bigint, number]> = [[0n, 1], [0n, 2], [1n, 4], [2n, 3], [9n, 5], [9n, 6]];
const stream = randomUUID();

const positions = async (after: { transaction_id: string; position: number }) =>
  (await readLogAfter(t.db, after, 100, (row) => row)).map((event) => event.position);

beforeAll(async () => {
  t = await testDatabase();
  for (const [offset, position] of LOG) {
    await t.db.query(
      `INSERT INTO events (position, transaction_id, event_id, stream_id, version, type, schema_version, data, metadata)
       OVERRIDING SYSTEM VALUE VALUES ($1, $2::xid8, $3, $4, $1, 'TaskCreated', 1, '{}', '{}')`,
      [position, (FUTURE + offset).toString(), randomUUID(), stream]);
  }
  await t.db.query("SELECT setval(pg_get_serial_sequence('events', 'position'), 6)");
  await t.db.query(`INSERT INTO projections (name, transaction_id, position) VALUES ('copied-view', $1::xid8, 4)`, [(FUTURE + 1n).toString()]);
  await t.db.query(
    `INSERT INTO projection_dead_letters (projection, event_id, stream_id, version, position, transaction_id, type, error, attempts)
     VALUES ('copied-view', $1, $2, 3, 3, $3::xid8, 'TaskCreated', 'copied', 1)`,
    [randomUUID(), stream, (FUTURE + 2n).toString()]);
});

describe('re-stamping a restored log', () => {
  it('is needed: the copied ids lie in this server\'s future and no reader sees them', async () => {
    expect(await unorderableLog(t.db)).toMatchObject({ newest_transaction_id: (FUTURE + 9n).toString() });
    expect(await positions({ transaction_id: '0', position: 0 })).toEqual([]);
  });

  it('brings every id below the horizon, in the same order, with the checkpoint and dead letter moved along', async () => {
    const restamped = await restampTransactionIds(t.db);
    expect(restamped).toEqual({ transactions: 4, new_ids: 2 });
    expect(await unorderableLog(t.db)).toBeNull();
    expect(await positions({ transaction_id: '0', position: 0 })).toEqual([1, 2, 4, 3, 5, 6]);

    const checkpoint = (await t.db.query<{ transaction_id: string; position: number }>(
      "SELECT transaction_id::text AS transaction_id, position::int AS position FROM projections WHERE name = 'copied-view'")).rows[0];
    expect(checkpoint).toBeDefined();
    expect(await positions(checkpoint ?? { transaction_id: '0', position: 0 })).toEqual([3, 5, 6]);

    const deadLetter = await t.db.query<{ same: boolean }>(
      `SELECT d.transaction_id = e.transaction_id AS same FROM projection_dead_letters d JOIN events e ON e.position = d.position
        WHERE d.projection = 'copied-view'`);
    expect(deadLetter.rows).toEqual([{ same: true }]);
  });

  it('leaves a log that new appends sort after', async () => {
    await t.db.query(
      `INSERT INTO events (event_id, stream_id, version, type, schema_version, data, metadata)
       VALUES ($1, $2, 7, 'TaskCreated', 1, '{}', '{}')`, [randomUUID(), stream]);
    expect(await positions({ transaction_id: '0', position: 0 })).toEqual([1, 2, 4, 3, 5, 6, 7]);
  });
});
