import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { freePort } from '../gateways/postgres/embedded.ts';

/*
 * `todo serve all` as a process of its own, so that what is measured of it (resident memory, heap) is the
 * service's alone and not the load generator's.
 */

const MAIN = fileURLToPath(new URL('../app/main.ts', import.meta.url));

export interface ServiceProcess {
  readonly child: ChildProcess;
  readonly baseUrl: string;
  /** Log lines the service wrote at level error or above. */
  readonly errorLines: () => readonly string[];
  /** Resident set size of the process, from /proc (Linux), in bytes. */
  rssBytes(): Promise<number>;
  stop(): Promise<void>;
}

const ERROR_LINE = /"level":\s*"(error|fatal)"|"level":\s*(50|60)\b/;

/** Starts `node app/main.ts serve all` with `env` on a free port of 127.0.0.1 and waits until /health answers. */
export async function startServiceProcess(env: Record<string, string>, maxSeconds = 120): Promise<ServiceProcess> {
  const port = await freePort();
  // The bench's own V8 flags (the young generation's cap of `npm run bench:soak`, ADR 0042) go to the service too.
  const child = spawn(process.execPath, [...process.execArgv, MAIN, 'serve', 'all'], {
    env: { ...process.env, ...env, HOST: '127.0.0.1', PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const errors: string[] = [];
  let tail = '';
  const read = (chunk: Buffer) => {
    const lines = (tail + chunk.toString('utf8')).split('\n');
    tail = lines.pop() ?? '';
    for (const line of lines) if (ERROR_LINE.test(line)) errors.push(line);
  };
  child.stdout.on('data', read);
  child.stderr.on('data', read);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const baseUrl = `http://127.0.0.1:${port}`;
  const started = performance.now();
  for (;;) {
    if (child.exitCode !== null) throw new Error(`todo serve all exited with ${child.exitCode} before answering:\n${errors.join('\n')}`);
    if (performance.now() - started > maxSeconds * 1000) {
      child.kill('SIGKILL');
      throw new Error(`todo serve all did not answer /health within ${maxSeconds} s`);
    }
    const healthy = await fetch(`${baseUrl}/health`).then((response) => response.ok, () => false);
    if (healthy) break;
    await sleep(200);
  }
  const pid = child.pid;
  return {
    child,
    baseUrl,
    errorLines: () => errors,
    async rssBytes() {
      const status = await readFile(`/proc/${pid}/status`, 'utf8');
      const kib = /^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1];
      if (kib === undefined) throw new Error(`no VmRSS in /proc/${pid}/status`);
      return Number(kib) * 1024;
    },
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      const code = await Promise.race([exited, sleep(20_000).then(() => 'timeout' as const)]);
      if (code === 'timeout') {
        child.kill('SIGKILL');
        await exited;
      }
    },
  };
}

/** A gauge of the service's own /metrics (prom-client's process and nodejs metrics), without labels. */
export async function scrapeGauge(baseUrl: string, name: string): Promise<number> {
  const text = await (await fetch(`${baseUrl}/metrics`)).text();
  const value = new RegExp(`^${name} ([0-9.e+-]+)`, 'm').exec(text)?.[1];
  if (value === undefined) throw new Error(`/metrics has no ${name}`);
  return Number(value);
}
