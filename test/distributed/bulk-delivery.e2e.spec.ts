import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabase, type TestDatabase } from '../support/test-database.ts';
import { apiClient, eventually } from './support/api-client.ts';
import { auditCounts } from './support/audit-counts.ts';
import { broker } from './support/broker.ts';
import { startCluster, type Cluster, type ServiceName } from './support/cluster.ts';

/*
 * Dapr's bulk subscribe for real (projections/runtime/deliver-batch.ts, gateways/bus/dapr-bulk-delivery.ts):
 * a subscriber that comes back to a backlog gets it from its daprd many messages per request, applies each
 * request in one transaction, and answers a message that is not one of our CloudEvents DROP alone.
 */

const SECRET = 'distributed-test-secret-long-enough-0123456789';
const client = apiClient(SECRET);
let database: TestDatabase;
let cluster: Cluster;

beforeAll(async () => {
  await broker.emptied();
  database = await testDatabase();
  cluster = await startCluster({ DATABASE_URL: database.url, AUTH_JWT_SECRET: SECRET, LOG_LEVEL: 'info' });
});
afterAll(async () => { await cluster?.stop(); });

/** A sample (counter or histogram series) of a service's /metrics, 0 when absent. */
async function metric(service: ServiceName, series: string): Promise<number> {
  const text = await (await fetch(`${cluster.url(service)}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return Number(line?.split(' ')[1] ?? 0);
}

describe('bus deliveries in bulk', () => {
  it('delivers a backlog many events per request, each event once, and drops a foreign message alone', async () => {
    const user = 'bulk-backlog';
    await cluster.kill('audit', { withSidecar: true });
    const ids: string[] = [];
    const create = async () => {
      const id = randomUUID();
      const reply = await client.call(cluster.url('api'), 'POST', '/api/tasks', { user, body: { id, title: `backlog ${ids.length}` } });
      expect(reply.status).toBe(201);
      ids.push(id);
    };
    for (let i = 0; i < 40; i += 1) await create();
    // A message on the topic that is not one of our CloudEvents, among a task's events on its partition.
    const foreign = await fetch(`${cluster.sidecarUrl('api')}/v1.0/publish/kafka-pubsub/task-events?metadata.partitionKey=${ids[0] ?? ''}`, {
      method: 'POST', headers: { 'content-type': 'application/cloudevents+json' },
      body: JSON.stringify({ specversion: '1.0', id: randomUUID(), source: '/elsewhere', type: 'com.example.other', data: {} }),
    });
    expect(foreign.status).toBe(204);
    for (let i = 0; i < 40; i += 1) await create();
    for (const id of ids.slice(0, 20)) {
      const reply = await client.call(cluster.url('api'), 'PATCH', `/api/tasks/${id}`, { user, body: { title: 'edited' } });
      expect(reply.status).toBe(200);
    }
    // Everything published before the audit service is back: it meets a backlog.
    await eventually(async () => ((await database.db.query<{ behind: number }>(
      `SELECT count(*)::int AS behind FROM events e, projections p
        WHERE p.name = 'relay' AND (e.transaction_id, e.position) > (p.transaction_id, p.position)`,
    )).rows[0]?.behind === 0 ? true : undefined));

    await cluster.restart('audit');
    const counts = await eventually(async () => {
      const now = await auditCounts(database.db, [user]);
      return now.entries >= now.events ? now : undefined;
    });
    expect(counts).toEqual({ events: 100, entries: 100, distinct_entries: 100 });
    // The restarted process counts from zero: the backlog's 101 messages (a redelivery would add to them).
    const requests = await metric('audit', 'bus_delivery_batch_size_count{consumer="audit"}');
    const delivered = await metric('audit', 'bus_delivery_batch_size_sum{consumer="audit"}');
    expect(delivered).toBeGreaterThanOrEqual(101);
    expect(requests).toBeLessThan(delivered / 2);
    expect(await metric('audit', 'bus_deliveries_total{consumer="audit",outcome="DROP"}')).toBe(1);
  });
});
