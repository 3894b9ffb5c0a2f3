-- The event store: the only source of truth. Every other table is derived from `events`.

-- One row per stream (task): its current version, compared-and-set by every append.
CREATE TABLE streams (
  stream_id   uuid        PRIMARY KEY,
  version     bigint      NOT NULL CHECK (version > 0),
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE events (
  -- Global position: unique and increasing in allocation order, NOT in commit order.
  position        bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  -- The appending transaction. Readers order by (transaction_id, position) and only read transactions
  -- older than the oldest one still running, so a late commit is waited for, never skipped.
  transaction_id  xid8        NOT NULL DEFAULT pg_current_xact_id(),
  event_id        uuid        NOT NULL UNIQUE,
  stream_id       uuid        NOT NULL REFERENCES streams (stream_id),
  version         bigint      NOT NULL CHECK (version > 0),
  type            text        NOT NULL,
  schema_version  integer     NOT NULL CHECK (schema_version > 0),
  data            jsonb       NOT NULL,
  metadata        jsonb       NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT events_stream_version UNIQUE (stream_id, version)
);

-- Exactly the order of the gap-safe log read, so the read needs no sort.
CREATE INDEX events_log_order ON events (transaction_id, position);

-- Idempotent commands: the first result of (user, Idempotency-Key) is remembered and answered again.
CREATE TABLE idempotency_keys (
  user_id       text        NOT NULL,
  key           text        NOT NULL,
  request_hash  text        NOT NULL,
  stream_id     uuid        NOT NULL,
  version       bigint      NOT NULL,
  position      bigint      NOT NULL,
  status        integer     NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, key)
);
CREATE INDEX idempotency_keys_created_at ON idempotency_keys (created_at);

-- Wake log readers on every append. Notifications are delivered at commit and identical ones within a
-- transaction are folded into one, so a batch append costs one wake-up.
CREATE FUNCTION notify_events_appended() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('todo_events', '');
  RETURN NULL;
END $$;

CREATE TRIGGER events_appended AFTER INSERT ON events
  FOR EACH STATEMENT EXECUTE FUNCTION notify_events_appended();
