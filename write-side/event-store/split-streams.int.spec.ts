import { beforeAll, describe, expect, it } from 'vitest';
import { upcastEvent } from '../../contracts/events/upcast.ts';
import { testDatabase, type TestDatabase } from '../../test/support/test-database.ts';
import { postgresEventStore, type EventStore } from './event-store.ts';

let t: TestDatabase;
let store: EventStore;
beforeAll(async () => {
  t = await testDatabase();
  store = postgresEventStore(t.db, upcastEvent);
});

describe('splitting the streams for parallel loads', () => {
  it('cuts them into ranges of about equal count, even when every id shares a time-ordered prefix', async () => {
    expect(await store.splitStreams(2)).toEqual([]);
    // 1 000 UUIDv7-like ids (one shared prefix) and 200 random ones.
    await t.db.query(`INSERT INTO streams (stream_id, version)
      SELECT ('019ac000-0000-7000-8000-' || lpad(to_hex(n), 12, '0'))::uuid, 1 FROM generate_series(1, 1000) AS n
      UNION ALL SELECT gen_random_uuid(), 1 FROM generate_series(1, 200)`);
    const ids = (await t.db.query<{ stream_id: string }>('SELECT stream_id FROM streams ORDER BY stream_id')).rows.map((r) => r.stream_id);
    for (const parts of [1, 2, 3, 4]) {
      const cuts = await store.splitStreams(parts);
      expect(cuts).toHaveLength(parts - 1);
      expect([...cuts].sort()).toEqual(cuts);
      const bounds = [0, ...cuts.map((cut) => ids.indexOf(cut)), ids.length];
      const sizes = bounds.slice(1).map((end, i) => end - (bounds[i] ?? 0));
      for (const size of sizes) expect(Math.abs(size - ids.length / parts)).toBeLessThanOrEqual(parts);
    }
  });
});
