-- The dapr transport's inbox: what each subscribing consumer has applied, by (task id, sequence). A delivery
-- inserts its row in the same transaction as the projector's writes, so a redelivered event (Kafka is
-- at-least-once, the relay republishes after a crash) finds its row and changes nothing.
CREATE TABLE bus_inbox (
  consumer     text        NOT NULL,
  stream_id    uuid        NOT NULL,
  version      bigint      NOT NULL,
  event_id     uuid        NOT NULL,
  position     bigint      NOT NULL,
  received_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (consumer, stream_id, version)
);
