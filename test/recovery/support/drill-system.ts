import pg from 'pg';
import { inject } from 'vitest';
import { PROJECTIONS } from '../../../contracts/projection-names.ts';
import { startTestSystem, TEST_SECRET, type TestSystem } from '../../support/test-system.ts';
import { testDatabase } from '../../support/test-database.ts';

/** A running Todo the drill backs up or restored: its API and scheduler, and what a `todo` command needs to act on it. */
export interface DrillSystem {
  readonly api: TestSystem;
  readonly databaseUrl: string;
  /** The environment of a `todo …` command run against this system (its database and secret). */
  readonly env: Readonly<Record<string, string>>;
  stop(): Promise<void>;
}

/** What a recovery path's restore may ask of the drill. */
export interface DrillContext {
  /** A new, empty database on the test server: migrated (as a first start leaves it) unless asked otherwise. */
  newDatabase(options?: { migrated?: boolean }): Promise<string>;
  /** Todo started on a database, configured as the drill's source was (secret, reminder gateways). */
  start(databaseUrl: string): Promise<DrillSystem>;
  /** A folder of its own for files, removed after the drill. */
  readonly workDir: string;
}

/** The log consumers of `serve all` with the local transport: what "settled" waits for. */
const LOG_CONSUMERS = [PROJECTIONS.taskView, PROJECTIONS.audit, PROJECTIONS.notification, PROJECTIONS.recurring];

/**
 * Starts Todo in this process against `databaseUrl`, mailing reminders through SendGrid at `sendgridUrl`
 * (the drill's recording server). The reminder scheduler does not tick on its own: the drill runs it at
 * the instants it chooses.
 */
export async function startDrillSystem(databaseUrl: string, sendgridUrl: string): Promise<DrillSystem> {
  const env = {
    REMINDER_TICK_SECONDS: '0',
    SENDGRID_API_KEY: 'SG.drill-key',
    SENDGRID_FROM: 'todo@example.com',
    SENDGRID_BASE_URL: sendgridUrl,
  };
  const api = await startTestSystem({ databaseUrl, env });
  return {
    api,
    databaseUrl,
    env: { DATABASE_URL: databaseUrl, AUTH_JWT_SECRET: TEST_SECRET, LOG_LEVEL: 'warn' },
    stop: () => api.system.close(),
  };
}

export function drillContext(sendgridUrl: string, workDir: string): DrillContext {
  return {
    workDir,
    newDatabase: async (options) => (await testDatabase(options)).url,
    start: (url) => startDrillSystem(url, sendgridUrl),
  };
}

/** The destroy step: the source database is dropped, connections and all. */
export async function dropDatabase(databaseUrl: string): Promise<void> {
  const name = new URL(databaseUrl).pathname.slice(1);
  const admin = new pg.Client({ connectionString: inject('postgresUrl') });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE ${name} WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Waits until every log consumer has either reached the last committed event or stopped at a dead letter:
 * the read models then hold all they ever will of this log, and two systems with the same log compare equal.
 */
export async function untilSettled(system: DrillSystem): Promise<void> {
  const { db } = system.api.system.database;
  for (let round = 0; round < 1200; round += 1) {
    const result = await db.query<{ settled: number }>(
      `SELECT count(*)::int AS settled FROM unnest($1::text[]) AS wanted (name)
        WHERE EXISTS (SELECT 1 FROM projections p WHERE p.name = wanted.name
                         AND p.position >= (SELECT coalesce(max(position), 0) FROM events))
           OR EXISTS (SELECT 1 FROM projection_dead_letters d WHERE d.projection = wanted.name AND d.resolved_at IS NULL)`,
      [LOG_CONSUMERS],
    );
    if (result.rows[0]?.settled === LOG_CONSUMERS.length) return;
    await pause(50);
  }
  const states = await db.query('SELECT name, position::float8 AS position, (SELECT max(position)::float8 FROM events) AS head FROM projections');
  const errors = system.api.logs.filter((line) => Number(line['level']) >= 40).slice(-5);
  throw new Error(`the projections did not settle (neither at the head of the log nor stopped at a dead letter): ${JSON.stringify(states.rows)}; last warnings: ${JSON.stringify(errors)}`);
}
