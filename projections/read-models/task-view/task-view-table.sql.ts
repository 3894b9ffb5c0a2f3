import { identifier, type Queryable } from '../../../contracts/ports/sql.ts';

// Columns no query filters or sorts on: the planner never reads their statistics.
const UNPLANNED_COLUMNS = ['title', 'description', 'due', 'reminders', 'recurrence', 'series_id', 'occurrence', 'completed_at', 'version', 'position'];

/**
 * The queryable task read model (indexes apart, see below). Deleted tasks keep their row (a reopen restores them) and are filtered
 * out by every query; each index is partial on `deleted_at IS NULL` and ends in task_id, the keyset tiebreak.
 */
export async function createTaskViewTable(tx: Queryable, table: string): Promise<void> {
  const t = identifier(table);
  await tx.query(`
    CREATE TABLE ${t} (
      task_id        uuid        PRIMARY KEY,
      user_id        text        NOT NULL,
      title          text        NOT NULL,
      title_key      text COLLATE "C" GENERATED ALWAYS AS (lower(title)) STORED,
      description    text,
      status         text        NOT NULL,
      priority       text        NOT NULL,
      priority_rank  smallint    NOT NULL,
      tags           text[]      NOT NULL,
      due            jsonb,
      due_at         timestamptz,
      due_sort       timestamptz GENERATED ALWAYS AS (coalesce(due_at, 'infinity')) STORED,
      overdue_at     timestamptz,
      reminders      jsonb       NOT NULL,
      recurrence     jsonb,
      series_id      uuid,
      occurrence     integer     NOT NULL,
      created_at     timestamptz NOT NULL,
      updated_at     timestamptz NOT NULL,
      completed_at   timestamptz,
      deleted_at     timestamptz,
      version        integer     NOT NULL,
      position       bigint      NOT NULL,
      search         tsvector    GENERATED ALWAYS AS (
                       setweight(to_tsvector('english', title), 'A') ||
                       setweight(to_tsvector('english', coalesce(description, '')), 'B')) STORED
    )`);
  // Statistics target 0: ANALYZE (before a rebuilt table goes live, and autovacuum's) skips them.
  await tx.query(`ALTER TABLE ${t} ${UNPLANNED_COLUMNS.map((column) => `ALTER COLUMN ${identifier(column)} SET STATISTICS 0`).join(', ')}`);
}

/** The query indexes: one per sort, each (user_id, key, task_id), plus full text and tags. */
export function taskViewIndexes(table: string): readonly string[] {
  const t = identifier(table);
  const index = (suffix: string) => identifier(`${table}_${suffix}`);
  return [
    `CREATE INDEX ${index('created')} ON ${t} (user_id, created_at, task_id) WHERE deleted_at IS NULL`,
    `CREATE INDEX ${index('updated')} ON ${t} (user_id, updated_at, task_id) WHERE deleted_at IS NULL`,
    `CREATE INDEX ${index('due')} ON ${t} (user_id, due_sort, task_id) WHERE deleted_at IS NULL`,
    `CREATE INDEX ${index('priority')} ON ${t} (user_id, priority_rank, task_id) WHERE deleted_at IS NULL`,
    `CREATE INDEX ${index('title')} ON ${t} (user_id, title_key, task_id) WHERE deleted_at IS NULL`,
    // Search is always within one user's tasks; btree_gin (migration 008) lets the GIN index lead with the user.
    `CREATE INDEX ${index('search')} ON ${t} USING gin (user_id, search) WHERE deleted_at IS NULL`,
    `CREATE INDEX ${index('tags')} ON ${t} USING gin (tags) WHERE deleted_at IS NULL`,
  ];
}
