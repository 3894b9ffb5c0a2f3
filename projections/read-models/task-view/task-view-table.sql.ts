import { identifier, type Queryable } from '../../../contracts/ports/sql.ts';
import { TASK_VIEW_COLUMNS, TASK_VIEW_SORTS } from '../../../contracts/read-models/task-view-row.ts';

/**
 * The queryable task read model (indexes apart, see below): the stored columns of TASK_VIEW_COLUMNS and the
 * ones PostgreSQL derives from them — the sort keys and the search vector. Deleted tasks keep their row (a
 * reopen restores them) and are filtered out by every query; each index is partial on `deleted_at IS NULL`
 * and ends in task_id, the keyset tiebreak.
 */
export async function createTaskViewTable(tx: Queryable, table: string): Promise<void> {
  const t = identifier(table);
  const stored = TASK_VIEW_COLUMNS.map((c) => `${identifier(c.name)} ${c.type}${c.name === 'task_id' ? ' PRIMARY KEY' : c.notNull ? ' NOT NULL' : ''}`);
  const sortKeys = Object.values(TASK_VIEW_SORTS).flatMap(({ column, generated }) =>
    generated ? [`${identifier(column)} ${generated.type} GENERATED ALWAYS AS (${generated.expression}) STORED`] : []);
  await tx.query(`
    CREATE TABLE ${t} (
      ${[...stored, ...sortKeys].join(',\n      ')},
      search         tsvector    GENERATED ALWAYS AS (
                       setweight(to_tsvector('english', title), 'A') ||
                       setweight(to_tsvector('english', coalesce(description, '')), 'B')) STORED
    )`);
  // Statistics target 0: ANALYZE (before a rebuilt table goes live, and autovacuum's) skips them.
  const unplanned = TASK_VIEW_COLUMNS.filter((c) => !c.planned).map((c) => `ALTER COLUMN ${identifier(c.name)} SET STATISTICS 0`);
  await tx.query(`ALTER TABLE ${t} ${unplanned.join(', ')}`);
}

/** The query indexes: one per sort, each (user_id, key, task_id), plus full text and tags. */
export function taskViewIndexes(table: string): readonly string[] {
  const t = identifier(table);
  const index = (suffix: string) => identifier(`${table}_${suffix}`);
  return [
    ...Object.entries(TASK_VIEW_SORTS).map(([sort, { column }]) =>
      `CREATE INDEX ${index(sort)} ON ${t} (user_id, ${identifier(column)}, task_id) WHERE deleted_at IS NULL`),
    // Search is always within one user's tasks; btree_gin (migration 008) lets the GIN index lead with the user.
    `CREATE INDEX ${index('search')} ON ${t} USING gin (user_id, search) WHERE deleted_at IS NULL`,
    `CREATE INDEX ${index('tags')} ON ${t} USING gin (tags) WHERE deleted_at IS NULL`,
  ];
}
