import { z } from 'zod';
import { DELIVERED_VIA, DELIVERY_STATUSES } from './read-models/notification-schedule.ts';
import { MAX_PAGE_SIZE, MinPosition } from './queries.ts';
import { Channel, Reminder, TaskId } from './task.ts';

/*
 * GET /api/notifications: the caller's reminders, pending and past, each with what happened on each channel.
 */

/**
 * pending: armed and not yet through on every channel. Otherwise the best outcome across its channels:
 * sent, else failed, else missed, else cancelled (completed or deleted before it fired).
 */
export const NOTIFICATION_STATUSES = ['pending', 'sent', 'failed', 'missed', 'cancelled'] as const;
export type NotificationStatus = (typeof NOTIFICATION_STATUSES)[number];

export const ListNotificationsQuery = z
  .strictObject({
    status: z.enum(NOTIFICATION_STATUSES).optional(),
    limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(50),
    cursor: z.string().min(1).max(500).optional(),
    min_position: MinPosition.optional().describe('Wait until the schedule has this position (read your writes)'),
  })
  .meta({ id: 'ListNotificationsQuery' });
export type ListNotificationsQuery = z.output<typeof ListNotificationsQuery>;

export const NotificationDelivery = z
  .strictObject({
    channel: Channel,
    status: z.enum(DELIVERY_STATUSES).describe('due, sending and retrying are on their way; sent, failed, missed and cancelled are final'),
    delivered_via: z.enum(DELIVERED_VIA).nullable().describe('log when the channel has no credentials: written to the server log, not emailed or pushed'),
    attempts: z.int().min(0),
    late: z.boolean().describe('Sent more than a minute after its time (the server was down or busy)'),
    last_error: z.string().nullable(),
    sent_at: z.iso.datetime().nullable(),
    next_attempt_at: z.iso.datetime().nullable().describe('When a retry is due, while retrying'),
  })
  .meta({ id: 'NotificationDelivery' });
export type NotificationDelivery = z.infer<typeof NotificationDelivery>;

export const Notification = z
  .strictObject({
    task_id: TaskId,
    reminder_index: z.int().min(0).describe('The reminder\'s place in the task\'s reminders'),
    title: z.string(),
    fire_at: z.iso.datetime(),
    reminder: Reminder,
    channels: z.array(Channel),
    status: z.enum(NOTIFICATION_STATUSES),
    deliveries: z.array(NotificationDelivery),
  })
  .meta({ id: 'Notification' });
export type Notification = z.infer<typeof Notification>;

export const NotificationPage = z
  .strictObject({ items: z.array(Notification), next_cursor: z.string().nullable() })
  .meta({ id: 'NotificationPage' });
export type NotificationPage = z.infer<typeof NotificationPage>;
