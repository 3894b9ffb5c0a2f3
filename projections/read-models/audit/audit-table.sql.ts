import { identifier, type Queryable } from '../../../contracts/ports/sql.ts';

/**
 * The projector's own memory of each task, beside one version of the audit table and named after it: a
 * rebuild replays into a fresh pair, so "before" in the new table is computed from state the new table's
 * own replay produced, and the pair is swapped and dropped together.
 */
export function taskStateTable(table: string): string {
  return `${table}_task_state`;
}

/**
 * One version of the audit log: an entry per task event, keyed by event id (so a redelivered event adds
 * nothing), and the per-task state its "before" values come from. Each secondary index (auditIndexes) leads
 * with owner_id, as every query is scoped to one owner, and ends in position, the newest-first keyset.
 */
export async function createAuditTables(tx: Queryable, table: string): Promise<void> {
  const t = identifier(table);
  await tx.query(`
    CREATE TABLE ${t} (
      event_id        uuid        PRIMARY KEY,
      position        bigint      NOT NULL,
      task_id         uuid        NOT NULL,
      owner_id        text        NOT NULL,
      actor_id        text        NOT NULL,
      action          text        NOT NULL,
      before          jsonb,
      after           jsonb       NOT NULL,
      occurred_at     timestamptz NOT NULL,
      correlation_id  text        NOT NULL
    )`);
  await tx.query(`
    CREATE TABLE ${identifier(taskStateTable(table))} (
      task_id  uuid    PRIMARY KEY,
      -- The domain task as evolve left it after the event at this version.
      state    jsonb   NOT NULL,
      version  integer NOT NULL
    )`);
}

/** Built after the table is created, or after a rebuild's load (once, not row by row). */
export function auditIndexes(table: string): readonly string[] {
  const t = identifier(table);
  const index = (suffix: string) => identifier(`${table}_${suffix}`);
  return [
    `CREATE INDEX ${index('owner')} ON ${t} (owner_id, position)`,
    `CREATE INDEX ${index('owner_task')} ON ${t} (owner_id, task_id, position)`,
    `CREATE INDEX ${index('owner_action')} ON ${t} (owner_id, action, position)`,
  ];
}

export async function dropAuditTables(tx: Queryable, table: string): Promise<void> {
  await tx.query(`DROP TABLE IF EXISTS ${identifier(table)}, ${identifier(taskStateTable(table))}`);
}
