import { existsSync, writeFileSync } from 'node:fs';
import { DAPRD } from '../test/distributed/support/sidecar.ts';
import { loadavg } from 'node:os';
import { describeMachine, processorName } from './machine.ts';
import { cpuShare, sampleCpu } from './cpu-share.ts';
import { readDoc, withSection } from './doc-sections.ts';
import { openMillionDatabase, type MillionDatabase } from './million-database.ts';
import { MILLION_PLAN, type MillionPlan } from './million-load.ts';
import { measureMillion, renderMillion } from './million.ts';
import { measureMillionRebuilds, renderMillionRebuilds } from './rebuild-million.ts';
import { measureRelay, renderRelay } from './relay.ts';
import { startBenchDatabase } from './database.ts';
import { measureTransport, renderTransport } from './transport.ts';
import { round } from './stats.ts';

/*
 * The phases that run alone as well as after the core run: `npm run bench -- --only million,rebuild,relay,transport`.
 * `rebuild` and `million` share the million-task log (loaded once, then kept in a cache folder: see
 * million-database.ts); `relay` starts its own cluster of processes with Kafka and Dapr sidecars. Each
 * phase writes its own section of docs/benchmarks.md and leaves the others as they are.
 */

export const EXTRA_PHASES = ['rebuild', 'million', 'relay', 'transport'] as const;
export type ExtraPhase = (typeof EXTRA_PHASES)[number];

const isExtra = (name: string): name is ExtraPhase => (EXTRA_PHASES as readonly string[]).includes(name);

/** The names `--only a,b` (or `--only=a,b`) gives, or null when every phase is to run. */
export function onlyNames(argv: readonly string[]): string[] | null {
  const at = argv.findIndex((arg) => arg === '--only' || arg.startsWith('--only='));
  if (at < 0) return null;
  const arg = argv[at] ?? '';
  const list = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : (argv[at + 1] ?? '');
  return list.split(',').map((name) => name.trim()).filter(Boolean);
}

/** The phases `--only a,b` names (every phase without it); unknown names are refused. */
export function selectedPhases(argv: readonly string[], core: readonly string[]): { core: boolean; extra: ExtraPhase[] } {
  const names = onlyNames(argv);
  // Unasked, the relay phase runs only where its sidecar binary is (it needs Kafka and daprd; see relay.ts).
  if (names === null) return { core: true, extra: EXTRA_PHASES.filter((name) => name !== 'relay' || existsSync(DAPRD)) };
  const unknown = names.filter((name) => !isExtra(name) && !core.includes(name));
  if (unknown.length > 0 || names.length === 0) throw new Error(`--only takes a comma-separated list of ${[...core, ...EXTRA_PHASES].join(', ')}; got ${names.join(',') || 'nothing'}`);
  return { core: names.some((name) => core.includes(name)), extra: EXTRA_PHASES.filter((name) => names.includes(name)) };
}

/** The plan, scaled down by BENCH_MILLION_SCALE (e.g. 0.01) for a quick try of the phases. */
function plan(): MillionPlan {
  const scale = Number(process.env.BENCH_MILLION_SCALE ?? '1');
  if (!(scale > 0 && scale <= 1)) throw new Error('BENCH_MILLION_SCALE is a number in (0, 1]');
  return { ...MILLION_PLAN, heavyTasks: Math.ceil(MILLION_PLAN.heavyTasks * scale), users: Math.ceil(MILLION_PLAN.users * scale) };
}

/** Past this share of the CPU taken by other processes, a run's wall-clock figures are marked as not comparable. */
const SHARED_MACHINE_SHARE = 0.1;

function machineLoad(work: string, from: ReturnType<typeof sampleCpu>, seconds: number, loadAverage: number): string {
  const share = cpuShare(from, sampleCpu(), seconds);
  const shared = share && share.others >= SHARED_MACHINE_SHARE
    ? ' **Taken on a shared machine**: the latencies and rates include waiting for a CPU; compare the CPU per operation.'
    : '';
  return `Machine during ${work} (${round(seconds)} s): load average ${round(loadAverage, 2)} at its start; `
    + (share ? `the benchmark used ${round(share.own * 100)} % of the machine's CPU, other processes ${round(share.others * 100)} %.${shared}` : 'no /proc figures.');
}

export async function runExtraPhases(phases: readonly ExtraPhase[], doc: string, log: (line: string) => void): Promise<void> {
  // Read again at each write: another run may have written its sections meanwhile.
  const write = (name: string, body: string) => writeFileSync(doc, withSection(readDoc(doc), name, body));
  const timed = async <T>(work: string, run: () => Promise<T>): Promise<{ value: T; load: string }> => {
    const [one = 0] = loadavg();
    const from = sampleCpu();
    const started = performance.now();
    const value = await run();
    return { value, load: machineLoad(work, from, (performance.now() - started) / 1000, one) };
  };

  let database: MillionDatabase | undefined;
  try {
    if (phases.includes('rebuild') || phases.includes('million')) {
      log('opening the million-task log (loaded once, then from .cache/bench-million)');
      database = await openMillionDatabase(plan(), log);
      const machine = await describeMachine(database.db);
      log(`log ready: ${database.load.events.toLocaleString('en-US')} events (${database.cached ? 'cached' : `loaded in ${round(database.load.seconds)} s`}); ${machine.cpu}, ${machine.cores} cores`);
    }
    if (database && phases.includes('rebuild')) {
      const opened = database;
      const { value, load } = await timed('the rebuilds', () => measureMillionRebuilds(opened, log));
      write('rebuild', `## Rebuilds over the million-task log\n\nMeasured by \`npm run bench -- --only rebuild\` on ${new Date().toISOString()} (${processorName()}).\n\n${renderMillionRebuilds(value)}\n\n${load}`);
    }
    if (database && phases.includes('million')) {
      const opened = database;
      const { value, load } = await timed('the list load', () => measureMillion(opened, { users: plan().users, connections: 8, seconds: 12, log }));
      write('million', `## A million tasks: GET /api/tasks and GET /api/tasks/{id}\n\nMeasured by \`npm run bench -- --only million\` on ${new Date().toISOString()} (${processorName()}).\n\n${renderMillion(value, opened)}\n\n${load}`);
    }
  } finally {
    await database?.stop();
  }
  if (phases.includes('transport')) {
    log('loopback TCP against the Unix-domain socket, on a fresh embedded PostgreSQL');
    const fresh = await startBenchDatabase();
    try {
      const { value, load } = await timed('the transport comparison', () => measureTransport(fresh, { slices: 4, secondsPerSlice: 3 }));
      write('transport', `## The embedded server's two ways in: loopback TCP and its Unix-domain socket\n\nMeasured by \`npm run bench -- --only transport\` on ${new Date().toISOString()} (${processorName()}).\n\n${renderTransport(value)}\n\n${load}`);
    } finally {
      await fresh.stop();
    }
  }
  if (phases.includes('relay')) {
    const { value, load } = await timed('the relay run', () => measureRelay(log));
    write('relay', `## Distributed: the relay to Kafka, and append → audit lag\n\nMeasured by \`npm run bench -- --only relay\` on ${new Date().toISOString()} (${processorName()}).\n\n${renderRelay(value)}\n\n${load}`);
  }
}
