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
 *    audit row looked for by the audit service's owner index every few milliseconds — for the first
 *    seconds after the services started apart (the first events find every process and connection cold),
 *    then over the measured window;
 * 2. the relay's throughput: with the api (where the relay runs) and the subscribers stopped, a backlog is
 *    bulk-loaded into the log; the api starts again and the relay's checkpoint is watched until it reaches
 *    the head, with the CPU each process spent per event — from the api's restart (its start-up included)
 *    and from the relay's first saved checkpoint (publishing alone);
 * 3. the subscribers start again and the audit service's pace through the same backlog is taken, from its
 *    first entry to its last (or over a window), with the events per request its sidecar delivered.
 * BENCH_CPU_PROF_DIR=dir runs the api of the drain under `node --cpu-prof` and stops after step 2.
 * Kafka listens on the fixed port of dapr-components/local/pubsub.yaml: run it under
 * `flock /tmp/todo-kafka.lock npm run bench -- --only relay` on a shared machine. DAPRD_BIN names the
 * sidecar (default .cache/bin/daprd, built by scripts/build-daprd.sh).
 */

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const SECRET = 'bench-relay-secret-that-is-long-enough-0123456789';
export const RELAY_TARGET_EVENTS_PER_SECOND = 5_000;
/** The longest the audit service's drain is watched; a slower consumer is measured over this window. */
const AUDIT_WINDOW_SECONDS = 60;
/**
 * The lag is taken apart over this many seconds right after the services start: the first creates after a
 * start pay for cold processes and connections, and those few samples alone made the window's p99 (ADR 0044).
 */
const LAG_JUST_STARTED_SECONDS = 3;

/** CPU per relayed event, by process (milliseconds). */
export interface RelayCpu { readonly api: number; readonly sidecar: number; readonly kafka: number; readonly postgres: number }

/** A stretch of the drain: how many events it covered, how long it took, and the CPU each process spent per event in it. */
export interface DrainWindow { readonly events: number; readonly seconds: number; readonly cpuPerEvent: RelayCpu }

export interface RelayResult {
  readonly backlogEvents: number;
  /** From the api's restart (its start-up, migrations check, projector start) to the relay's checkpoint at the head. */
  readonly withStartUp: DrainWindow;
  /** From the relay's first saved checkpoint to the head: the steady publishing rate from a backlog. */
  readonly publishing: DrainWindow;
  /** The audit service consuming the same backlog from Kafka, from its first entry to its last (or to the window's end). */
  readonly audit: { readonly events: number; readonly seconds: number; readonly drained: boolean; readonly eventsPerRequest: number | null };
  readonly lag: LatencySummary;
  /** The same lag over the first seconds after the five services started, before `lag`'s window. */
  readonly lagJustStarted: LatencySummary;
  readonly lagRatePerSecond: number;
  /** Where --cpu-prof wrote the api's profile of the drain, when BENCH_CPU_PROF_DIR asked for one. */
  readonly cpuProfileDir: string | null;
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

/** The log's last event, as a checkpoint. */
async function logHead(db: Db): Promise<LogCheckpoint> {
  const result = await db.query<{ transaction_id: string; position: number }>(
    // Ordered by the columns, not by the text aliases of the same names.
    'SELECT e.transaction_id::text AS transaction_id, e.position::float8 AS position FROM events e ORDER BY e.transaction_id DESC, e.position DESC LIMIT 1');
  const row = result.rows[0];
  if (!row) throw new Error('the log is empty');
  return row;
}

/** Whether the relay's checkpoint is at `head` (a cheap look at one row: the poll must not load the database it measures). */
async function relayAt(db: Db, head: LogCheckpoint): Promise<boolean> {
  const result = await db.query<{ done: boolean }>(
    `SELECT (transaction_id, position) >= ($1::xid8, $2::bigint) AS done FROM projections WHERE name = $3`,
    [head.transaction_id, head.position, PROJECTIONS.relay],
  );
  return result.rows[0]?.done ?? false;
}

async function auditRows(db: Db): Promise<number> {
  return (await db.query<{ count: number }>('SELECT count(*)::float8 AS count FROM audit_log')).rows[0]?.count ?? 0;
}

/** Milliseconds of CPU so far of the api (its whole process tree), its sidecar, Kafka and PostgreSQL. */
type CpuReading = Record<keyof RelayCpu, number>;

/**
 * Watches the relay drain the backlog, from before its process starts until its checkpoint reaches the head
 * (bounded by `maxSeconds`), and marks the first checkpoint it saves: what lies before is the api's start-up
 * and its first batch, what follows is publishing alone.
 */
async function measureDrain(db: Db, options: { start: () => Promise<void>; behind: number; cpu: () => CpuReading; maxSeconds: number }): Promise<{ withStartUp: DrainWindow; publishing: DrainWindow }> {
  const head = await logHead(db);
  const initial = await relayCheckpoint(db);
  const before = options.cpu();
  const started = performance.now();
  const deadline = started + options.maxSeconds * 1000;
  const starting = options.start();
  starting.catch(() => undefined); // surfaces when awaited below
  let firstMove: { at: number; behind: number; cpu: CpuReading } | null = null;
  for (;;) {
    if (await relayAt(db, head)) break;
    if (!firstMove) {
      const checkpoint = await relayCheckpoint(db);
      if (checkpoint.transaction_id !== initial.transaction_id || checkpoint.position !== initial.position) {
        firstMove = { at: performance.now(), cpu: options.cpu(), behind: await eventsAfter(db, checkpoint) };
      }
    }
    if (performance.now() > deadline) throw new Error(`the relay did not reach the head within ${options.maxSeconds} s`);
    const stopped = await db.query<{ error: string }>("SELECT error FROM projection_dead_letters WHERE projection = 'relay' LIMIT 1");
    if (stopped.rows[0]) throw new Error(`the relay stopped: ${stopped.rows[0].error}`);
    await sleep(20);
  }
  const ended = performance.now();
  const after = options.cpu();
  await starting;
  const perEvent = (from: CpuReading, events: number): RelayCpu => ({
    api: (after.api - from.api) / events, sidecar: (after.sidecar - from.sidecar) / events,
    kafka: (after.kafka - from.kafka) / events, postgres: (after.postgres - from.postgres) / events,
  });
  const withStartUp = { events: options.behind, seconds: (ended - started) / 1000, cpuPerEvent: perEvent(before, options.behind) };
  // A drain so quick that no checkpoint was seen before the head: the whole of it is the only window.
  const move = firstMove ?? { at: started, behind: options.behind, cpu: before };
  const publishing = { events: move.behind, seconds: (ended - move.at) / 1000, cpuPerEvent: perEvent(move.cpu, Math.max(1, move.behind)) };
  return { withStartUp, publishing };
}

/**
 * The audit service's pace through the backlog: from its first new entry to the last (or until `maxSeconds`
 * passed), with the events per request of its sidecar over the whole drain.
 */
async function measureAuditDrain(db: Db, options: { from: number; events: number; maxSeconds: number; requests: () => Promise<number | null> }): Promise<RelayResult['audit']> {
  let first: { at: number; rows: number } | null = null;
  let rows = options.from;
  // Bounded until it starts (its process and sidecar start first), then by the window.
  let deadline = performance.now() + 180_000;
  while (rows < options.from + options.events && performance.now() < deadline) {
    await sleep(50);
    rows = await auditRows(db);
    if (!first && rows > options.from) {
      first = { at: performance.now(), rows };
      deadline = first.at + options.maxSeconds * 1000;
    }
  }
  if (!first) return { events: 0, seconds: options.maxSeconds, drained: false, eventsPerRequest: null };
  // Its counters start with its process: all its requests are of this drain.
  const requests = await options.requests();
  return {
    events: rows - first.rows, seconds: (performance.now() - first.at) / 1000, drained: rows >= options.from + options.events,
    eventsPerRequest: requests ? (rows - options.from) / requests : null,
  };
}

/** The requests the audit service's sidecar made to it (bulk subscribe: a batch each), from its /metrics. */
async function auditRequests(cluster: Cluster): Promise<number | null> {
  try {
    const text = await (await fetch(`${cluster.url('audit')}/metrics`)).text();
    const line = text.split('\n').find((l) => l.startsWith('bus_delivery_batch_size_count{consumer="audit"} '));
    return line ? Number(line.split(' ')[1]) : null;
  } catch {
    return null;
  }
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
    log(`measuring append → audit lag at 20 creates/s: the first ${LAG_JUST_STARTED_SECONDS} s after the start, then 20 s`);
    const lagJustStarted = await measureLag(cluster, db, { perSecond: 20, seconds: LAG_JUST_STARTED_SECONDS });
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
    // The api process is new: its CPU is all of the drain's (start-up included in the first window).
    const cpu = (): CpuReading => ({ api: sum(childPids('serve api')), sidecar: sum(fixed.sidecar), kafka: sum(fixed.kafka), postgres: sum(fixed.postgres) });
    const running = cluster;
    const profileDir = process.env['BENCH_CPU_PROF_DIR'] ?? null;
    const profileEnv: Record<string, string> = profileDir ? { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${profileDir}` } : {};
    const drain = await measureDrain(db, { start: () => running.restart('api', profileEnv), behind, cpu, maxSeconds: 600 });
    log(`relay: ${round(drain.withStartUp.events / drain.withStartUp.seconds)} events/s with the api's start-up, ${round(drain.publishing.events / drain.publishing.seconds)} events/s publishing; the subscribers start again`);
    if (profileDir) {
      // --cpu-prof writes the profile when the process exits: stop the api now, with only the drain in it.
      await cluster.stop();
      cluster = undefined;
      return { backlogEvents: load.events, ...drain, audit: { events: 0, seconds: 0, drained: false, eventsPerRequest: null }, lag, lagRatePerSecond: 20, lagJustStarted, cpuProfileDir: profileDir };
    }
    const auditBefore = await auditRows(db);
    // Watched from before the subscribers start (each with its sidecar, one after another, the audit service
    // first), so that its first entry marks the start of its drain.
    const watching = measureAuditDrain(db, { from: auditBefore, events: behind, maxSeconds: AUDIT_WINDOW_SECONDS, requests: () => auditRequests(running) });
    watching.catch(() => undefined); // surfaces when awaited below
    for (const name of consumers) await cluster.restart(name);
    const audit = await watching;
    return { backlogEvents: load.events, ...drain, audit, lag, lagJustStarted, lagRatePerSecond: 20, cpuProfileDir: null };
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
  const total = (cpu: RelayCpu) => cpu.api + cpu.sidecar + cpu.kafka + cpu.postgres;
  const rate = (w: DrainWindow) => w.events / w.seconds;
  const cpuText = (cpu: RelayCpu) => `${round(total(cpu), 3)} ms = api ${round(cpu.api, 3)} + its sidecar ${round(cpu.sidecar, 3)} + Kafka ${round(cpu.kafka, 3)} + PostgreSQL ${round(cpu.postgres, 3)}: ${round(2000 / total(cpu))} events/s on two idle cores`;
  const audit = r.audit.events > 0
    ? `${round(r.audit.events / r.audit.seconds)} events/s (${r.audit.events.toLocaleString('en-US')} events in ${round(r.audit.seconds, 1)} s${r.audit.drained ? ' to the end of the backlog' : `, the ${AUDIT_WINDOW_SECONDS} s window`}${r.audit.eventsPerRequest ? `; ${round(r.audit.eventsPerRequest, 1)} events per request of its sidecar` : ''})`
    : 'not measured';
  return [
    '| figure | measured | target |',
    '| --- | --- | --- |',
    `| relay → Kafka through the sidecar, publishing a backlog of ${r.publishing.events.toLocaleString('en-US')} events (from its first checkpoint to the head) | ${round(rate(r.publishing))} events/s (${round(r.publishing.seconds, 1)} s) | ≥ ${round(RELAY_TARGET_EVENTS_PER_SECOND)}/s ${check(rate(r.publishing) >= RELAY_TARGET_EVENTS_PER_SECOND)} |`,
    `| the same, the api's start-up included (${r.withStartUp.events.toLocaleString('en-US')} events from its restart) | ${round(rate(r.withStartUp))} events/s (${round(r.withStartUp.seconds, 1)} s) | — |`,
    `| CPU per relayed event while publishing (from /proc) | ${cpuText(r.publishing.cpuPerEvent)} | — |`,
    `| CPU per relayed event, start-up included | ${cpuText(r.withStartUp.cpuPerEvent)} | — |`,
    `| the audit service consuming the backlog from Kafka (bulk subscribe, a transaction per request) | ${audit} | — |`,
    `| append → audit row, ${r.lagRatePerSecond} creates/s through the api (${r.lag.count} samples, from ${LAG_JUST_STARTED_SECONDS} s after the services started) | p50 ${round(r.lag.p50, 1)} ms, p99 ${round(r.lag.p99, 1)} ms, max ${round(r.lag.max, 1)} ms | reported |`,
    `| the same in the first ${LAG_JUST_STARTED_SECONDS} s after the five services started (${r.lagJustStarted.count} samples) | p50 ${round(r.lagJustStarted.p50, 1)} ms, max ${round(r.lagJustStarted.max, 1)} ms | reported |`,
    '',
    `The lag is taken apart over the first ${LAG_JUST_STARTED_SECONDS} s after the services started: the first events after a start`,
    'pay for cold processes and connections on every hop (api, relay, sidecar, broker, the audit service\'s sidecar',
    'and transaction), and when they were in the window, those few samples alone made its p99 and moved it',
    'from run to run by tens of times for the same code (ADR 0044).',
  ].join('\n');
}
