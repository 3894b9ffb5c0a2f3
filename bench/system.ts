import { setTimeout as sleep } from 'node:timers/promises';
import pino from 'pino';
import { loadConfig } from '../app/config.ts';
import { createSystem, type System } from '../app/system.ts';
import { isBefore } from '../contracts/events/stored-event.ts';
import { mintToken } from '../gateways/auth/mint-token.ts';
import { readCheckpoint } from '../projections/runtime/projection-state.sql.ts';

export const BENCH_SECRET = 'bench-secret-that-is-long-enough-for-hs256-0123456789abcdef';
export const BENCH_POOL_MAX = 40;

export interface BenchSystem {
  readonly system: System;
  readonly baseUrl: string;
  token(userId: string): Promise<string>;
  close(): Promise<void>;
}

/** The whole service, as `todo serve all` wires it, on 127.0.0.1 and an ephemeral port, logging nothing. */
export async function startBenchSystem(databaseUrl: string): Promise<BenchSystem> {
  const config = loadConfig({
    DATABASE_URL: databaseUrl,
    DATABASE_POOL_MAX: String(BENCH_POOL_MAX),
    AUTH_JWT_SECRET: BENCH_SECRET,
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'silent',
  });
  const system = await createSystem(config, pino({ level: 'silent' }));
  await system.http.listen({ host: '127.0.0.1', port: 0 });
  const address = system.http.addresses()[0];
  if (!address || typeof address !== 'object') throw new Error('the bench system is not listening');
  return {
    system,
    baseUrl: `http://127.0.0.1:${address.port}`,
    token: (userId) => mintToken({ secret: BENCH_SECRET, userId, expiresIn: '1d' }),
    close: () => system.close(),
  };
}

/**
 * Waits until every projector the service runs has applied everything committed so far (task-view, audit,
 * recurring, notification, …); `caughtUp` is false when the bound ran out first.
 */
export async function waitForProjectors(bench: BenchSystem, maxSeconds: number): Promise<{ caughtUp: boolean; seconds: number }> {
  const started = performance.now();
  const db = bench.system.database.db;
  const head = await bench.system.store.readLogHead();
  const names = bench.system.projectors.map((runtime) => runtime.name);
  let pending = names;
  while (performance.now() - started < maxSeconds * 1000) {
    const behind: string[] = [];
    for (const name of pending) if (isBefore(await readCheckpoint(db, name), head)) behind.push(name);
    pending = behind;
    if (pending.length === 0) return { caughtUp: true, seconds: (performance.now() - started) / 1000 };
    await sleep(50);
  }
  return { caughtUp: false, seconds: (performance.now() - started) / 1000 };
}
