import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDb } from '../gateways/postgres/db.ts';
import { startEmbeddedPostgres } from '../gateways/postgres/embedded.ts';
import { migrate } from '../gateways/postgres/migrate.ts';

export interface BenchDatabase {
  /** Over the server's Unix-domain socket, as `todo serve all` reaches its embedded PostgreSQL (ADR 0045). */
  readonly url: string;
  /** Over loopback TCP: what the socket is compared with (bench/transport.ts). */
  readonly tcpUrl: string;
  readonly dir: string;
  stop(): Promise<void>;
}

/** A fresh bundled PostgreSQL in a throw-away folder, migrated; removed again by `stop`. */
export async function startBenchDatabase(): Promise<BenchDatabase> {
  const dir = await mkdtemp(join(tmpdir(), 'todo-bench-pg-'));
  await chmod(dir, 0o755); // as root the server runs as the postgres user, which must reach the folder
  try {
    const server = await startEmbeddedPostgres(dir);
    // The service and the raw baseline both reach it as `todo serve all` reaches its own: over its socket (ADR 0045).
    const db = createDb(server.localUrl, { max: 2 });
    try {
      await migrate(db);
    } finally {
      await db.close();
    }
    return {
      url: server.localUrl,
      tcpUrl: server.url,
      dir,
      async stop() {
        await server.stop();
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}
