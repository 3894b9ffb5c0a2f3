-- The append statement writes the stream head and its events together (write-side/event-store/append.sql.ts),
-- so an event without its stream row cannot be written by the service; the foreign key re-checked that
-- with a trigger and a row lock on every inserted event. Dropped for append throughput (ADR 0009).
ALTER TABLE events DROP CONSTRAINT IF EXISTS events_stream_id_fkey;
