-- Projector state: one row per projector, locked FOR UPDATE by every batch so that the checkpoint, the
-- read-model writes and a rebuild's table swap are serialised.
CREATE TABLE projections (
  name            text        PRIMARY KEY,
  -- The read-model table queries use now (null for projectors without a table); a rebuild swaps it.
  active_table    text,
  transaction_id  xid8        NOT NULL DEFAULT '0',
  position        bigint      NOT NULL DEFAULT 0,
  updated_at      timestamptz NOT NULL DEFAULT now()
);

-- Events a projector could not apply after its retries, kept visibly until retried or resolved.
CREATE TABLE projection_dead_letters (
  id              bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  projection      text        NOT NULL,
  event_id        uuid        NOT NULL,
  stream_id       uuid        NOT NULL,
  version         bigint      NOT NULL,
  position        bigint      NOT NULL,
  transaction_id  xid8        NOT NULL,
  type            text        NOT NULL,
  error           text        NOT NULL,
  attempts        integer     NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  resolved_at     timestamptz,
  CONSTRAINT projection_dead_letters_once UNIQUE (projection, event_id)
);
CREATE INDEX projection_dead_letters_open ON projection_dead_letters (projection, position) WHERE resolved_at IS NULL;
