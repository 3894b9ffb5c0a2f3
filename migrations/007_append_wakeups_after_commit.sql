-- Appends no longer NOTIFY inside their own transaction: a notifying transaction holds a cluster-wide lock
-- until its commit is flushed, which kept concurrent appends from sharing a WAL flush. The appending
-- process now wakes readers after commit (write-side/event-store/append-announcer.ts; ADR 0009).
DROP TRIGGER events_appended ON events;
DROP FUNCTION notify_events_appended();
