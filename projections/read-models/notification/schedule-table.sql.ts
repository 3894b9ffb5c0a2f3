import { identifier, type Queryable } from '../../../contracts/ports/sql.ts';

/** The projector's memory of each task (folded state and latest email), beside one schedule version. */
export function taskStateTable(table: string): string {
  return `${table}_task_state`;
}

/**
 * One version of the reminder schedule and the task states it was computed from: a rebuild replays into a
 * fresh pair and the pair is swapped and dropped together. Delivery records are not here (they live in
 * notification_deliveries, keyed by the same (task, reminder index, fire time)), so a rebuild never
 * forgets what was sent.
 */
export async function createScheduleTables(tx: Queryable, table: string): Promise<void> {
  const t = identifier(table);
  const index = (suffix: string) => identifier(`${table}_${suffix}`);
  await tx.query(`
    CREATE TABLE ${t} (
      task_id         uuid        NOT NULL,
      reminder_index  integer     NOT NULL,
      fire_at         timestamptz NOT NULL,
      user_id         text        NOT NULL,
      email           text,
      title           text        NOT NULL,
      due             jsonb,
      channels        text[]      NOT NULL,
      reminder        jsonb       NOT NULL,
      state           text        NOT NULL CHECK (state IN ('armed', 'cancelled', 'superseded', 'past')),
      version         integer     NOT NULL,
      position        bigint      NOT NULL,
      PRIMARY KEY (task_id, reminder_index, fire_at)
    )`);
  // The scheduler's scan: armed rows by fire time.
  await tx.query(`CREATE INDEX ${index('armed')} ON ${t} (fire_at) WHERE state = 'armed'`);
  // GET /api/notifications: one user's reminders, newest fire time first.
  await tx.query(`CREATE INDEX ${index('user')} ON ${t} (user_id, fire_at DESC, task_id DESC, reminder_index DESC)`);
  await tx.query(`
    CREATE TABLE ${identifier(taskStateTable(table))} (
      task_id  uuid    PRIMARY KEY,
      -- The domain task as evolve left it after the event at this version.
      state    jsonb   NOT NULL,
      email    text,
      version  integer NOT NULL
    )`);
}

export async function dropScheduleTables(tx: Queryable, table: string): Promise<void> {
  await tx.query(`DROP TABLE IF EXISTS ${identifier(table)}, ${identifier(taskStateTable(table))}`);
}
