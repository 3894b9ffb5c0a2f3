-- Reminder deliveries: one row per (task, reminder index, fire time, channel), the same key as a row of the
-- rebuildable reminder schedule (projections/notification), but kept here, outside any versioned table, so
-- that a rebuild never forgets what was sent. The primary key is what makes a delivery happen at most once
-- per channel: two schedulers enqueueing the same reminder race on it, and one wins.
CREATE TABLE notification_deliveries (
  task_id          uuid        NOT NULL,
  reminder_index   integer     NOT NULL,
  fire_at          timestamptz NOT NULL,
  -- The channel the reminder asked for.
  channel          text        NOT NULL CHECK (channel IN ('email', 'push')),
  user_id          text        NOT NULL,
  -- due, sending and retrying are on their way; sent, failed, missed and cancelled are final. A row left in
  -- sending by a process that died mid-send is never sent again (its outcome is unknown): it is settled as failed.
  status           text        NOT NULL CHECK (status IN ('due', 'sending', 'retrying', 'sent', 'failed', 'missed', 'cancelled')),
  -- How it went out: 'log' when the channel has no credentials (never reported as emailed).
  delivered_via    text        CHECK (delivered_via IN ('email', 'push', 'log')),
  attempts         integer     NOT NULL DEFAULT 0,
  last_error       text,
  late             boolean     NOT NULL DEFAULT false,
  next_attempt_at  timestamptz NOT NULL,
  claimed_at       timestamptz,
  sent_at          timestamptz,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (task_id, reminder_index, fire_at, channel)
);
CREATE INDEX notification_deliveries_ready ON notification_deliveries (next_attempt_at) WHERE status IN ('due', 'retrying');
CREATE INDEX notification_deliveries_sending ON notification_deliveries (claimed_at) WHERE status = 'sending';

-- Push device tokens (FCM registration tokens). A token belongs to one user at a time: the device's
-- latest registration wins. Not event-sourced: a device is a delivery address, not a task fact.
CREATE TABLE devices (
  token       text        PRIMARY KEY,
  user_id     text        NOT NULL,
  platform    text        CHECK (platform IN ('android', 'ios', 'web')),
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX devices_user ON devices (user_id, created_at);

-- How far the reminder schedulers have looked: each tick scans armed reminders from a little before this
-- point up to its own now, so a tick's work follows what came due since the last one, and after downtime
-- the first tick covers the whole gap (recording the reminders too old to send as missed).
CREATE TABLE notification_scan (
  singleton      boolean     PRIMARY KEY DEFAULT true CHECK (singleton),
  scanned_until  timestamptz
);
INSERT INTO notification_scan (singleton, scanned_until) VALUES (true, NULL);
