import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { randomUUID } from 'node:crypto';
import { mintToken } from '../gateways/auth/mint-token.ts';
import { createDb, type Db } from '../gateways/postgres/db.ts';
import { PROJECTIONS } from '../contracts/projection-names.ts';
import { readCheckpoint } from '../projections/runtime/projection-state.sql.ts';
import type { LogCheckpoint } from '../contracts/events/stored-event.ts';
import { DAPRD } from '../test/distributed/support/sidecar.ts';
import { startCluster, type Cluster } from '../test/distributed/support/cluster.ts';
import { bulkLoadEvents } from './bulk-load.ts';
import { startBenchDatabase } from './database.ts';
import { round, summarize, type LatencySummary } from './stats.ts';
import { childPids, postmasterPid, treeMs } from './process-cpu.ts';
import { readFileSync } from 'node:fs';

/*
 * The `relay` phase, in the distributed set-up of the tests (five services, each with its daprd, a real
 * Kafka broker from scripts/kafka-start.sh, one PostgreSQL):
 * 1. the lag from an append to its audit entry: creates at a steady pace through the api, each create's
 *    audit row looked for by the audit service's owner index every few milliseconds;
 * 2. the relay's throughput: with the api (where the relay runs) and the subscribers stopped, a backlog is
 *    bulk-loaded into the log; the api starts again and the relay's checkpoint is watched until it reaches
 *    the head, with the CPU each process spent per event; then the subscribers start again and the audit
 *    service's pace through the backlog is taken over a window.
 * Kafka listens on the fixed port of dapr-components/local/pubsub.yaml: run it under
 * `flock /tmp/todo-kafka.lock npm run bench -- --only relay` on a shared machine. DAPRD_BIN names the
 * sidecar (default .cache/bin/daprd, built by scripts/build-daprd.sh).
 */

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const SECRET = 'bench-relay-secret-that-is-long-enough-0123456789';
export const RELAY_TARGET_EVENTS_PER_SECOND = 5_000;
const AUDIT_WINDOW_SECONDS = 30;

export interface RelayResult {
  readonly backlogEvents: number;
  /** Events the relay published per second, from the start of its process to its checkpoint at the head. */
  readonly eventsPerSecond: number;
  readonly relaySeconds: number;
  /** CPU per relayed event, by process, while the backlog drained (milliseconds). */
  readonly cpuPerEvent: { readonly api: number; readonly sidecar: number; readonly kafka: number; readonly postgres: number };
  /** The audit service's pace through the same backlog from Kafka, events per second over a window. */
  readonly auditEventsPerSecond: number;
  readonly lag: LatencySummary;
  readonly lagRatePerSecond: number;
}

function run(command: string, env: Record<string, string>): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, [], { env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit'] });
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${command} exited with ${code}`))));
  });
}

async function relayCheckpoint(db: Db): Promise<LogCheckpoint> {
  return readCheckpoint(db, PROJECTIONS.relay);
}

async function eventsAfter(db: Db, checkpoint: LogCheckpoint): Promise<number> {
  const result = await db.query<{ count: number }>(
    'SELECT count(*)::float8 AS count FROM events WHERE (transaction_id, position) > ($1::xid8, $2::bigint)',
    [checkpoint.transaction_id, checkpoint.position],
  );
  return result.rows[0]?.count ?? 0;
}

async function auditRows(db: Db): Promise<number> {
  return (await db.query<{ count: number }>('SELECT count(*)::float8 AS count FROM audit_log')).rows[0]?.count ?? 0;
}

/**
 * Watches the relay drain the backlog, from before its process starts (so its start-up counts against it)
 * until its checkpoint reaches the head; bounded by `maxSeconds`.
 */
async function measureDrain(db: Db, start: () => Promise<void>, maxSeconds: number): Promise<number> {
  const started = performance.now();
  const deadline = started + maxSeconds * 1000;
  const starting = start();
  starting.catch(() => undefined); // surfaces when awaited below
  for (;;) {
    // Counted, not compared: done when no event lies after the relay's checkpoint.
    if ((await eventsAfter(db, await relayCheckpoint(db))) === 0) break;
    if (performance.now() > deadline) throw new Error(`the relay did not reach the head within ${maxSeconds} s`);
    const stopped = await db.query<{ error: string }>("SELECT error FROM projection_dead_letters WHERE projection = 'relay' LIMIT 1");
    if (stopped.rows[0]) throw new Error(`the relay stopped: ${stopped.rows[0].error}`);
    await sleep(20);
  }
  const seconds = (performance.now() - started) / 1000;
  await starting;
  return seconds;
}

/** Steady creates through the api; each create's audit row is looked for every few milliseconds. */
async function measureLag(cluster: Cluster, db: Db, options: { perSecond: number; seconds: number }): Promise<LatencySummary> {
  const user = `lag-${randomUUID().slice(0, 8)}`;
  const token = await mintToken({ secret: SECRET, userId: user, expiresIn: '1h' });
  const lags: number[] = [];
  let lastPosition = 0;
  let creating = true;
  let issued = 0;
  const watch = (async () => {
    const deadline = performance.now() + (options.seconds + 30) * 1000;
    while ((creating || lags.length < issued) && performance.now() < deadline) {
      const rows = await db.query<{ position: number; lag_ms: number }>(
        `SELECT a.position::float8 AS position, extract(epoch FROM clock_timestamp() - e.created_at)::float8 * 1000 AS lag_ms
           FROM audit_log a JOIN events e ON e.event_id = a.event_id
          WHERE a.owner_id = $1 AND a.position > $2 ORDER BY a.position`,
        [user, lastPosition],
      );
      for (const row of rows.rows) { lags.push(row.lag_ms); lastPosition = Math.max(lastPosition, row.position); }
      await sleep(5);
    }
  })();
  const started = performance.now();
  while (performance.now() - started < options.seconds * 1000) {
    const due = started + (issued * 1000) / options.perSecond;
    if (due > performance.now()) await sleep(due - performance.now());
    const response = await fetch(`${cluster.url('api')}/api/tasks`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ title: `lag probe ${issued}` }),
    });
    await response.body?.cancel();
    if (response.status === 201) issued += 1;
  }
  creating = false;
  await watch;
  return summarize(lags);
}

export async function measureRelay(log: (line: string) => void): Promise<RelayResult> {
  if (!existsSync(DAPRD)) throw new Error(`no daprd at ${DAPRD}: run scripts/build-daprd.sh or set DAPRD_BIN`);
  const kafkaData = await mkdtemp(join(tmpdir(), 'todo-bench-kafka-'));
  const kafkaEnv = { KAFKA_DATA: kafkaData };
  log('starting Kafka (scripts/kafka-start.sh) and a fresh PostgreSQL');
  await run(join(ROOT, 'scripts/kafka-start.sh'), kafkaEnv);
  const database = await startBenchDatabase();
  const db = createDb(database.url, { max: 4, applicationName: 'todo-bench-relay' });
  let cluster: Cluster | undefined;
  try {
    log('starting the five services with their sidecars');
    cluster = await startCluster({ DATABASE_URL: database.url, AUTH_JWT_SECRET: SECRET, LOG_LEVEL: 'info' });
    log('measuring append → audit lag at 20 creates/s for 20 s');
    const lag = await measureLag(cluster, db, { perSecond: 20, seconds: 20 });
    // The relay alone with the broker while it drains: the subscribers (and their sidecars) start again after.
    const consumers = ['audit', 'recurring', 'notification', 'sync'] as const;
    for (const name of consumers) await cluster.kill(name, { withSidecar: true });
    await cluster.kill('api');
    log('bulk-loading the backlog while the api (and its relay) is down');
    const load = await bulkLoadEvents(db, { heavyTasks: 10_000, users: 100, tasksPerUser: 100, chunk: 10_000 });
    const behind = await eventsAfter(db, await relayCheckpoint(db));
    if (behind < load.events) throw new Error(`the relay is only ${behind} events behind after a load of ${load.events}`);
    log(`relaying ${load.events.toLocaleString('en-US')} events`);
    const kafkaPid = Number(readFileSync(join(ROOT, '.cache/kafka/kafka.pid'), 'utf8').trim());
    const fixed = { sidecar: childPids('--app-id api-'), kafka: [kafkaPid], postgres: [postmasterPid(join(database.dir, 'postgres'))] };
    const sum = (list: readonly number[]) => list.reduce((total, pid) => total + treeMs(pid), 0);
    const before = { sidecar: sum(fixed.sidecar), kafka: sum(fixed.kafka), postgres: sum(fixed.postgres) };
    const running = cluster;
    const seconds = await measureDrain(db, () => running.restart('api'), 600);
    // The api process is new: all its CPU (start-up included) counts against the relay.
    const perEvent = (ms: number) => ms / Math.max(1, load.events);
    const cpuPerEvent = {
      api: perEvent(sum(childPids('serve api'))), sidecar: perEvent(sum(fixed.sidecar) - before.sidecar),
      kafka: perEvent(sum(fixed.kafka) - before.kafka), postgres: perEvent(sum(fixed.postgres) - before.postgres),
    };
    const drain = { events: behind, seconds };
    log(`relay: ${round(drain.events / drain.seconds)} events/s; the subscribers start again: the audit service's pace over ${AUDIT_WINDOW_SECONDS} s`);
    for (const name of consumers) await cluster.restart(name);
    const auditBefore = await auditRows(db);
    await sleep(AUDIT_WINDOW_SECONDS * 1000);
    const auditEventsPerSecond = ((await auditRows(db)) - auditBefore) / AUDIT_WINDOW_SECONDS;
    return {
      backlogEvents: load.events, eventsPerSecond: drain.events / drain.seconds, relaySeconds: drain.seconds, cpuPerEvent,
      auditEventsPerSecond, lag, lagRatePerSecond: 20,
    };
  } finally {
    await cluster?.stop().catch(() => undefined);
    await db.close();
    await database.stop();
    await run(join(ROOT, 'scripts/kafka-stop.sh'), { ...kafkaEnv, KAFKA_WIPE: '1' }).catch(() => undefined);
    await rm(kafkaData, { recursive: true, force: true });
  }
}

const check = (ok: boolean) => (ok ? '✅ met' : '❌ missed');

export function renderRelay(r: RelayResult): string {
  const cpu = r.cpuPerEvent.api + r.cpuPerEvent.sidecar + r.cpuPerEvent.kafka + r.cpuPerEvent.postgres;
  return [
    '| figure | measured | target |',
    '| --- | --- | --- |',
    `| relay → Kafka through the sidecar, backlog of ${r.backlogEvents.toLocaleString('en-US')} events | ${round(r.eventsPerSecond)} events/s (${round(r.relaySeconds, 1)} s, the api's start-up included) | ≥ ${round(RELAY_TARGET_EVENTS_PER_SECOND)}/s ${check(r.eventsPerSecond >= RELAY_TARGET_EVENTS_PER_SECOND)} |`,
    `| CPU per relayed event (from /proc, while it drained) | ${round(cpu, 3)} ms = api (relay and its live task-view, start-up included) ${round(r.cpuPerEvent.api, 3)} + its sidecar ${round(r.cpuPerEvent.sidecar, 3)} + Kafka ${round(r.cpuPerEvent.kafka, 3)} + PostgreSQL ${round(r.cpuPerEvent.postgres, 3)}: ${round(2000 / cpu)} events/s on two idle cores | — |`,
    `| the audit service consuming the backlog from Kafka (one transaction per event) | ${round(r.auditEventsPerSecond)} events/s over ${AUDIT_WINDOW_SECONDS} s | — |`,
    `| append → audit row, ${r.lagRatePerSecond} creates/s through the api (${r.lag.count} samples) | p50 ${round(r.lag.p50, 1)} ms, p99 ${round(r.lag.p99, 1)} ms, max ${round(r.lag.max, 1)} ms | reported |`,
  ].join('\n');
}
