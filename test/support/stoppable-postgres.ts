import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { isAlive } from '../../gateways/postgres/data-dir-lock.ts';
import { freePort, startEmbeddedPostgres, type EmbeddedServer } from '../../gateways/postgres/embedded.ts';

export interface StoppablePostgres {
  /** The `todo` database of this server; the same before and after a restart. */
  readonly url: string;
  /** `pg_ctl stop -m immediate`: SIGQUIT to the postmaster, no checkpoint, every connection cut. */
  crash(): Promise<void>;
  /** Starts it again on the same data folder and port (crash recovery replays the WAL). */
  start(): Promise<void>;
  /** Stops it, wherever it is, and removes its folder. */
  close(): Promise<void>;
}

/**
 * A PostgreSQL server of the test's own (the bundled binaries, a throw-away folder, a free port), which the
 * test may take away and bring back while a Todo process keeps using it.
 */
export async function startStoppablePostgres(): Promise<StoppablePostgres> {
  const dir = await mkdtemp(join(tmpdir(), 'todo-fault-pg-'));
  await chmod(dir, 0o755); // the embedded server runs as the postgres user, which must reach it
  const port = await freePort();
  let server: EmbeddedServer | undefined = await startEmbeddedPostgres(dir, { port });
  const url = server.url;

  const postmasterPid = async (): Promise<number> =>
    Number.parseInt((await readFile(join(dir, 'postgres', 'postmaster.pid'), 'utf8')).split('\n')[0] ?? '', 10);

  return {
    url,
    async crash() {
      const pid = await postmasterPid();
      // The embedded wrapper's stop() is not used again for this run of the server: it waits for an exit event.
      server = undefined;
      process.kill(pid, 'SIGQUIT');
      while (isAlive(pid)) await sleep(50);
    },
    async start() {
      server = await startEmbeddedPostgres(dir, { port });
    },
    async close() {
      if (server) await server.stop();
      else {
        const pid = await postmasterPid().catch(() => 0);
        if (pid > 0 && isAlive(pid)) process.kill(pid, 'SIGINT');
        while (pid > 0 && isAlive(pid)) await sleep(50);
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}
