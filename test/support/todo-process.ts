import { spawn, type ChildProcess } from 'node:child_process';
import { chmod, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const MAIN = fileURLToPath(new URL('../../app/main.ts', import.meta.url));

export interface TodoProcess {
  readonly child: ChildProcess;
  readonly output: () => string;
  /** What it wrote to stdout alone (a command's answer, without its remarks on stderr). */
  readonly stdout: () => string;
  /** Resolves with the exit code once the process has ended. */
  readonly exited: Promise<number | null>;
  waitFor(pattern: RegExp): Promise<RegExpMatchArray>;
}

/** `node app/main.ts ...args` as a real child process, with its stdout and stderr collected. */
export function runTodo(args: string[], env: Record<string, string>): TodoProcess {
  const child = spawn(process.execPath, [MAIN, ...args], {
    env: { ...process.env, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let stdout = '';
  const waiters: Array<{ pattern: RegExp; resolve: (m: RegExpMatchArray) => void }> = [];
  const onData = (chunk: Buffer) => {
    output += chunk.toString('utf8');
    for (const waiter of [...waiters]) {
      const match = output.match(waiter.pattern);
      if (match) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(match);
      }
    }
  };
  child.stdout.on('data', onData);
  child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString('utf8'); });
  child.stderr.on('data', onData);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    output: () => output,
    stdout: () => stdout,
    exited,
    waitFor(pattern) {
      const match = output.match(pattern);
      if (match) return Promise.resolve(match);
      return new Promise((resolve, reject) => {
        waiters.push({ pattern, resolve });
        void exited.then((code) => reject(new Error(`process exited (${code}) before ${pattern}:\n${output}`)));
      });
    },
  };
}

export interface FreshServer {
  readonly server: TodoProcess;
  readonly dataDir: string;
  readonly url: string;
  /** The development token the first start prints. */
  readonly token: string;
}

/**
 * `todo serve all` on a new DATA_DIR of its own (its embedded PostgreSQL included), once it listens.
 * `started` gets the process before anything is awaited of it, so a caller's clean-up sees it even when
 * the start fails.
 */
export async function serveFresh(label: string, started: (server: TodoProcess) => void): Promise<FreshServer> {
  const dataDir = await mkdtemp(join(tmpdir(), `todo-${label}-`));
  await chmod(dataDir, 0o755); // the embedded server runs as the postgres user
  const server = runTodo(['serve', 'all'], { DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1' });
  started(server);
  const [, url = ''] = await server.waitFor(/Todo is running on (http:\/\/localhost:\d+)/);
  const [, token = ''] = await server.waitFor(/export TOKEN=(\S+)/);
  return { server, dataDir, url, token };
}
