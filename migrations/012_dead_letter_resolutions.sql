-- How a dead letter was resolved: `replayed` (applied by a retry) or `skipped` (an operator chose to pass
-- over the event: every projector run, live or rebuilding, passes over it from then on). Letters resolved
-- before this column existed were resolved by a retry or by hand; the rebuild treats neither as skipped,
-- so an operator marks such an event with `todo projections dead-letters skip ID` if it still fails.
ALTER TABLE projection_dead_letters ADD COLUMN resolution text CHECK (resolution IN ('replayed', 'skipped'));
UPDATE projection_dead_letters SET resolution = 'replayed' WHERE resolved_at IS NOT NULL;
ALTER TABLE projection_dead_letters ADD CONSTRAINT projection_dead_letters_resolved
  CHECK ((resolved_at IS NULL) = (resolution IS NULL));
CREATE INDEX projection_dead_letters_skipped ON projection_dead_letters (projection) WHERE resolution = 'skipped';
