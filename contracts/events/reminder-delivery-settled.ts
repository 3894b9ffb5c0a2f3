import { z } from 'zod';
import { CHANNELS } from '../../domain/task/types.ts';
import { DELIVERED_VIA } from '../read-models/notification-schedule.ts';
import { uuidV5 } from '../uuid-v5.ts';

/**
 * What became of one delivery of one reminder (task, reminder index, fire time, channel) once it could not
 * change any more: sent, failed or missed. The notification scheduler appends it to the log, so a restore
 * or rebuild from the log knows what was sent and never sends it again. It is not a task event: it lives in
 * a stream of its own, never bumps the task's version (its ETag), and is not published to the bus.
 */
export const REMINDER_DELIVERY_SETTLED = 'ReminderDeliverySettled';

export const SETTLED_STATUSES = ['sent', 'failed', 'missed'] as const;
export type SettledStatus = (typeof SETTLED_STATUSES)[number];

export const ReminderDeliverySettledPayload = z.strictObject({
  task_id: z.uuid(),
  reminder_index: z.int().min(0),
  fire_at: z.iso.datetime(),
  channel: z.enum(CHANNELS),
  user_id: z.string(),
  status: z.enum(SETTLED_STATUSES),
  delivered_via: z.enum(DELIVERED_VIA).nullable(),
  attempts: z.int().min(0),
  late: z.boolean(),
  last_error: z.string().nullable(),
  sent_at: z.iso.datetime().nullable(),
  settled_at: z.iso.datetime(),
});
export type ReminderDeliverySettled = z.infer<typeof ReminderDeliverySettledPayload>;

/** Fixed forever: a delivery's stream id must be the same at every try, so a second settlement appends nothing. */
export const DELIVERY_NAMESPACE = '3f0c7a52-9b1e-4d4e-8a7c-5d2b6e1f9a03';

/** The stream of one delivery: the same (task, reminder, fire time, channel) always names the same stream. */
export function deliveryStreamId(delivery: Pick<ReminderDeliverySettled, 'task_id' | 'reminder_index' | 'fire_at' | 'channel'>): string {
  const fireAt = new Date(delivery.fire_at).toISOString();
  return uuidV5(DELIVERY_NAMESPACE, `${delivery.task_id.toLowerCase()}:${delivery.reminder_index}:${fireAt}:${delivery.channel}`);
}

/** The settlement an event holds, or null when the event is not one. */
export function parseDeliverySettled(type: string, data: unknown): ReminderDeliverySettled | null {
  return type === REMINDER_DELIVERY_SETTLED ? ReminderDeliverySettledPayload.parse(data) : null;
}
