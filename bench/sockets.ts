import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { CREATE_USER, measureHttpCreate } from './http-create.ts';
import type { LoadResult } from './load.ts';
import type { BenchSystem } from './system.ts';

/*
 * The live feed under many clients: WebSocket clients held by a child process (bench/socket-client.ts),
 * bounded in number, on loopback. Two figures: the service's memory with 10,000 sockets open and the time a
 * change takes to reach every socket of its owner; and command → frame freshness with 1,000 sockets open
 * while the 16-connection create load runs.
 */

const Summary = z.strictObject({ count: z.int(), p50: z.number(), p99: z.number(), max: z.number() });

export const SocketJob = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('open'),
    url: z.string().startsWith('ws://127.0.0.1:'),
    clients: z.array(z.strictObject({ user: z.string(), token: z.string() })).max(20_000),
  }),
  z.strictObject({
    type: z.literal('probe'),
    httpUrl: z.string().startsWith('http://127.0.0.1:'),
    user: z.string(),
    token: z.string(),
    samples: z.int().min(1).max(10_000),
    maxSeconds: z.number().positive().max(120),
    pauseMs: z.int().min(0).max(1000),
  }),
  z.strictObject({ type: z.literal('close') }),
]);
export type SocketJob = z.infer<typeof SocketJob>;

const Opened = z.strictObject({ type: z.literal('opened'), opened: z.int(), failed: z.int() });
const ProbeResult = z.strictObject({
  sockets: z.int(),
  samples: z.int(),
  misses: z.int(),
  /** The POST's round trip. */
  command: Summary,
  /** From sending the command until the first / the last of the user's sockets had the frame. */
  first: Summary,
  last: Summary,
  /** From the command's answer until the last socket had the frame (0 when it came before the answer). */
  lastAfterAnswer: Summary,
  /** Every socket's frame, from sending the command. */
  every: Summary,
});
export type ProbeResult = z.infer<typeof ProbeResult>;
const Probed = ProbeResult.extend({ type: z.literal('probed') });

const CLIENT = fileURLToPath(new URL('./socket-client.ts', import.meta.url));

interface SocketClient {
  open(clients: ReadonlyArray<{ user: string; token: string }>): Promise<z.infer<typeof Opened>>;
  probe(job: Omit<Extract<SocketJob, { type: 'probe' }>, 'type' | 'httpUrl'>): Promise<ProbeResult>;
  close(): Promise<void>;
}

/** The child answers each job with one message; the child is killed if it overstays `seconds`. */
function ask<T>(child: ChildProcess, job: SocketJob, schema: z.ZodType<T>, seconds: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`socket client overran ${seconds}s on ${job.type}`)); }, seconds * 1000);
    const onExit = (code: number | null) => { clearTimeout(timer); reject(new Error(`socket client exited with ${code} during ${job.type}`)); };
    child.once('exit', onExit);
    child.once('message', (message) => {
      clearTimeout(timer);
      child.off('exit', onExit);
      const parsed = schema.safeParse(message);
      if (parsed.success) resolve(parsed.data); else reject(new Error(`socket client answered ${JSON.stringify(message).slice(0, 300)}`));
    });
    child.send(job);
  });
}

function startSocketClient(bench: BenchSystem): SocketClient {
  const child = fork(CLIENT, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], serialization: 'json' });
  const wsUrl = `${bench.baseUrl.replace('http://', 'ws://')}/ws`;
  return {
    open: (clients) => ask(child, { type: 'open', url: wsUrl, clients: [...clients] }, Opened, 120),
    probe: (job) => ask(child, { type: 'probe', httpUrl: bench.baseUrl, ...job }, Probed, job.maxSeconds + 30),
    async close() {
      await ask(child, { type: 'close' }, z.object({ type: z.literal('closed') }), 30).catch(() => child.kill('SIGKILL'));
    },
  };
}

/** `count` clients: `ownerSockets` of them the owner's, the rest spread over other users `perUser` at a time. */
async function clientsFor(bench: BenchSystem, owner: string, ownerSockets: number, count: number, perUser: number) {
  const ownerToken = await bench.token(owner);
  const clients = Array.from({ length: ownerSockets }, () => ({ user: owner, token: ownerToken }));
  for (let i = 0; clients.length < count; i++) {
    const user = `bench-live-${i}`;
    const token = await bench.token(user);
    for (let j = 0; j < perUser && clients.length < count; j++) clients.push({ user, token });
  }
  return { ownerToken, clients };
}

const mib = (bytes: number) => bytes / 2 ** 20;

export interface ManySocketsResult {
  readonly sockets: number;
  readonly failed: number;
  /** The service process's resident memory before the sockets opened and with all of them open, MiB. */
  readonly rssBeforeMiB: number;
  readonly rssMiB: number;
  readonly heapUsedMiB: number;
  /** Changes of one owner's tasks reaching each of that owner's sockets. */
  readonly fanOut: ProbeResult;
  /** The service's CPU per change during the fan-out (the command, its projections, and a frame per socket), ms. */
  readonly cpuMsPerChange: number;
}

export interface FreshnessUnderLoadResult {
  readonly sockets: number;
  readonly failed: number;
  readonly probe: ProbeResult;
  /** The create load running meanwhile (its user has no sockets open). */
  readonly load: LoadResult;
}

export async function measureManySockets(
  bench: BenchSystem,
  options: { readonly sockets: number; readonly ownerSockets: number; readonly samples: number },
): Promise<ManySocketsResult> {
  const owner = 'bench-live-owner';
  const { ownerToken, clients } = await clientsFor(bench, owner, options.ownerSockets, options.sockets, 10);
  const client = startSocketClient(bench);
  try {
    const rssBefore = process.memoryUsage().rss;
    const opened = await client.open(clients);
    const memory = process.memoryUsage();
    const cpuBefore = process.cpuUsage();
    const fanOut = await client.probe({ user: owner, token: ownerToken, samples: options.samples, maxSeconds: 60, pauseMs: 100 });
    const cpu = process.cpuUsage(cpuBefore);
    return {
      sockets: opened.opened, failed: opened.failed, rssBeforeMiB: mib(rssBefore), rssMiB: mib(memory.rss),
      heapUsedMiB: mib(memory.heapUsed), fanOut, cpuMsPerChange: (cpu.user + cpu.system) / 1000 / Math.max(1, fanOut.samples),
    };
  } finally {
    await client.close();
  }
}

export async function measureFreshnessUnderLoad(
  bench: BenchSystem,
  options: { readonly sockets: number; readonly probeSockets: number; readonly connections: number; readonly seconds: number },
): Promise<FreshnessUnderLoadResult> {
  const user = 'bench-live-fresh';
  const { ownerToken, clients } = await clientsFor(bench, user, options.probeSockets, options.sockets, 2);
  const client = startSocketClient(bench);
  try {
    const opened = await client.open(clients);
    const loadToken = await bench.token(CREATE_USER);
    const load = measureHttpCreate(bench.baseUrl, loadToken, { connections: options.connections, seconds: options.seconds });
    // The probe starts once the load is under way and ends before it does.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const probe = client.probe({ user, token: ownerToken, samples: 10_000, maxSeconds: options.seconds - 2, pauseMs: 5 });
    return { sockets: opened.opened, failed: opened.failed, probe: await probe, load: await load };
  } finally {
    await client.close();
  }
}
