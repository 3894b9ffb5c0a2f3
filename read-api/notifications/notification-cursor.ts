import { cursorCodec, instant, int32, uuid } from '../../contracts/cursor.ts';

/** Where a page of notifications ended: the key of its last item in (fire time, task, index) order. */
export interface NotificationCursor { readonly fire_at: string; readonly task_id: string; readonly reminder_index: number }

const codec = cursorCodec(3, { fire_at: instant, task_id: uuid, reminder_index: int32 });

export function encodeNotificationCursor(cursor: NotificationCursor): string {
  return codec.encode({ fire_at: cursor.fire_at, task_id: cursor.task_id, reminder_index: cursor.reminder_index });
}

export function decodeNotificationCursor(text: string): NotificationCursor | null {
  return codec.decode(text);
}
