import type { Logger } from 'pino';
import { createDb } from '../../gateways/postgres/db.ts';
import { lockDataDir } from '../../gateways/postgres/data-dir-lock.ts';
import { startEmbeddedPostgres } from '../../gateways/postgres/embedded.ts';
import { promote } from '../../gateways/postgres/recovery-state.ts';
import { loadConfig } from '../config.ts';

export const PROMOTE_USAGE = `  promote                                 end a recovery the database was left in (a point-in-time restore
                                          paused at its target): it becomes writable at that point
`;

/** `todo promote`: pg_promote on DATABASE_URL, or on the embedded PostgreSQL of DATA_DIR, started for it. */
export async function promoteCommand(logger: Logger): Promise<void> {
  const config = loadConfig();
  if (config.DATABASE_URL) {
    const db = createDb(config.DATABASE_URL, { max: 1, applicationName: 'todo-promote' });
    try {
      process.stdout.write(await promote(db) ? 'todo promote: the DATABASE_URL server was promoted\n' : 'todo promote: the DATABASE_URL server is not in recovery\n');
    } finally {
      await db.close();
    }
    return;
  }
  const lock = await lockDataDir(config.DATA_DIR);
  try {
    const server = await startEmbeddedPostgres(config.DATA_DIR, { promote: true, log: (line) => logger.debug({ postgres: line }, 'embedded postgres') });
    await server.stop();
    process.stdout.write('todo promote: the embedded PostgreSQL is out of recovery and writable\n');
  } finally {
    await lock.release();
  }
}
