import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/*
 * HTTP load runs in a child process (bench/load-client.ts, autocannon), so the load generator does not
 * share the server's event loop. The job and the result cross the IPC channel as JSON, checked here.
 */

const Variant = z.strictObject({ path: z.string().startsWith('/'), user: z.string() });

const KindSpec = z.strictObject({
  kind: z.string(),
  method: z.enum(['GET', 'POST']),
  body: z.string().optional(),
  /** One is picked at random for each request of this kind. */
  variants: z.array(Variant).min(1),
});

export const LoadJob = z.strictObject({
  url: z.url(),
  connections: z.int().min(1).max(64),
  seconds: z.number().positive().max(60),
  /** Upper bound on requests, whatever the time. */
  maxRequests: z.int().positive(),
  /** A fixed request rate over all connections (a steady load); as fast as the server answers when absent. */
  ratePerSecond: z.int().positive().optional(),
  /** Bearer token per user id named in the variants. */
  tokens: z.record(z.string(), z.string()),
  /** Each connection cycles through the kinds in order. */
  kinds: z.array(KindSpec).min(1),
});
export type LoadJob = z.infer<typeof LoadJob>;
export type KindSpec = z.infer<typeof KindSpec>;

const KindResult = z.strictObject({
  kind: z.string(),
  count: z.int(),
  non2xx: z.int(),
  p50: z.number(),
  p99: z.number(),
  max: z.number(),
});
export type KindResult = z.infer<typeof KindResult>;

export const LoadResult = z.strictObject({
  connections: z.int(),
  seconds: z.number(),
  responses: z.int(),
  perSecond: z.number(),
  non2xx: z.int(),
  errors: z.int(),
  timeouts: z.int(),
  statusCodes: z.record(z.string(), z.int()),
  all: KindResult,
  kinds: z.array(KindResult),
});
export type LoadResult = z.infer<typeof LoadResult>;

const CLIENT = fileURLToPath(new URL('./load-client.ts', import.meta.url));

/** Runs one autocannon job in a child process; the child is killed if it overstays its bound. */
export async function runLoad(job: LoadJob): Promise<LoadResult> {
  const child = fork(CLIENT, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], serialization: 'json' });
  return new Promise<LoadResult>((resolve, reject) => {
    let settled = false;
    const finish = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      outcome();
    };
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      finish(() => reject(new Error(`load client overran ${job.seconds}s by 30s`)));
    }, (job.seconds + 30) * 1000);
    child.once('message', (message) => {
      const parsed = LoadResult.safeParse(message);
      finish(() => (parsed.success ? resolve(parsed.data) : reject(new Error(`load client answered ${JSON.stringify(message)}`))));
    });
    child.once('error', (error) => finish(() => reject(error)));
    child.once('exit', (code) => finish(() => reject(new Error(`load client exited with ${code} before answering`))));
    child.send(job);
  });
}
