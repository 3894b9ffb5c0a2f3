import { z } from 'zod';

/** Where a page of notifications ended: the key of its last item in (fire time, task, index) order. */
export interface NotificationCursor { readonly fire_at: string; readonly task_id: string; readonly reminder_index: number }

const Encoded = z.strictObject({ f: z.iso.datetime(), t: z.uuid(), i: z.int().min(0) });

export function encodeNotificationCursor(cursor: NotificationCursor): string {
  return Buffer.from(JSON.stringify({ f: cursor.fire_at, t: cursor.task_id, i: cursor.reminder_index })).toString('base64url');
}

export function decodeNotificationCursor(text: string): NotificationCursor | null {
  try {
    const parsed = Encoded.safeParse(JSON.parse(Buffer.from(text, 'base64url').toString('utf8')));
    return parsed.success ? { fire_at: parsed.data.f, task_id: parsed.data.t, reminder_index: parsed.data.i } : null;
  } catch {
    return null;
  }
}
