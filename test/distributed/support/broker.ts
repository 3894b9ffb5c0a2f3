import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const run = promisify(execFile);

/**
 * The broker of scripts/kafka-start.sh, stopped and started again from a test: the same scripts, with the
 * environment scripts/test-distributed.sh exported (KAFKA_DATA), so it comes back on the same data dir —
 * its topics, messages and the consumer groups' offsets — as a broker restarted in place does.
 */
export const broker = {
  /** A controlled shutdown (SIGTERM; SIGKILL only if it hangs), its data dir kept. */
  async stop(): Promise<void> {
    const env: NodeJS.ProcessEnv = { ...process.env };
    delete env['KAFKA_WIPE'];
    await run(`${ROOT}scripts/kafka-stop.sh`, [], { cwd: ROOT, env });
  },
  /**
   * Stopped, its data wiped, and started again with empty topics: what a test file starts its cluster
   * against. The topics are the suite's, and a new cluster's consumer groups read them from the oldest
   * message, so without this they would meet the earlier files' events, which belong to other databases.
   */
  async emptied(): Promise<void> {
    await run(`${ROOT}scripts/kafka-stop.sh`, [], { cwd: ROOT, env: { ...process.env, KAFKA_WIPE: '1' } });
    await broker.start();
  },
  /** Starts it and waits until it answers (the script's own wait), its topics already there. */
  async start(): Promise<void> {
    await run(`${ROOT}scripts/kafka-start.sh`, [], { cwd: ROOT, env: process.env });
  },
};
