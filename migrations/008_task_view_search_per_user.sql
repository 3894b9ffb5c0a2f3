-- Full-text search is always within one user's tasks: an index that leads with the user keeps a heavy
-- user's search from collecting every user's matches first (docs/benchmarks.md). btree_gin lets a GIN
-- index hold the user_id text beside the tsvector; it is a trusted extension (PostgreSQL 13+), so the
-- database owner may create it. The active task-view table gets the new index here; rebuilt tables get
-- it from projections/task-view/task-view-table.sql.ts.
CREATE EXTENSION IF NOT EXISTS btree_gin;

DO $$
DECLARE active text;
BEGIN
  SELECT active_table INTO active FROM projections WHERE name = 'task-view';
  IF active IS NOT NULL THEN
    EXECUTE format('DROP INDEX IF EXISTS %I', active || '_search');
    EXECUTE format('CREATE INDEX %I ON %I USING gin (user_id, search) WHERE deleted_at IS NULL', active || '_search', active);
  END IF;
END $$;
