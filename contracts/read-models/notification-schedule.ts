import type { Channel, Due, Reminder } from '../../domain/task/types.ts';

/*
 * The reminder schedule as projections/read-models/notification writes it, and the delivery records its scheduler
 * keeps: names and row shapes shared with the query side (read-api/notifications).
 */

/** The view over the projection's active versioned schedule table. */
export const NOTIFICATION_SCHEDULE_VIEW = 'notification_schedule';

/**
 * armed: will fire. cancelled: the task was completed or deleted first. superseded: the task's due or
 * reminders changed so that this fire time no longer applies. past: its time had already passed when it
 * was set (a new reminder in the past is never sent).
 */
export const SCHEDULE_STATES = ['armed', 'cancelled', 'superseded', 'past'] as const;
export type ScheduleState = (typeof SCHEDULE_STATES)[number];

/** One reminder of one task (each occurrence of a series is its own task), keyed by (task, index, fire time). */
export interface ScheduledReminder {
  readonly task_id: string;
  readonly reminder_index: number;
  /** UTC instant, `toISOString` spelling. */
  readonly fire_at: string;
  readonly user_id: string;
  /** The owner's address: the `email` claim of the latest command on the task that carried one. */
  readonly email: string | null;
  readonly title: string;
  readonly due: Due | null;
  readonly channels: readonly Channel[];
  readonly reminder: Reminder;
  readonly state: ScheduleState;
  /** The task version this row reflects. */
  readonly version: number;
  readonly position: number;
}

/** Delivery records: one per (reminder, occurrence, channel), kept apart from the rebuildable schedule. */
export const NOTIFICATION_DELIVERIES = 'notification_deliveries';

/** due, sending and retrying are on their way; the rest are final. */
export const DELIVERY_STATUSES = ['due', 'sending', 'retrying', 'sent', 'failed', 'missed', 'cancelled'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export const DELIVERED_VIA = ['email', 'push', 'log'] as const;
export type DeliveredVia = (typeof DELIVERED_VIA)[number];
