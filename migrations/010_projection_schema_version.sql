-- The schema version of the read-model table a projection's active table was built with. A deploy that
-- declares another version rebuilds the projection blue/green at start-up. Every table existing before
-- this migration was built with version 1 of its projector's DDL, so nothing rebuilds on upgrade.
ALTER TABLE projections ADD COLUMN schema_version integer NOT NULL DEFAULT 1;
