import type { EmailMessage, PushMessage } from '../../../contracts/ports/reminder-senders.ts';
import type { Due } from '../../../domain/task/types.ts';
import type { ClaimedDelivery } from './claim-due.sql.ts';

function describeDue(due: Due): string {
  return 'date' in due ? due.date : `${due.datetime.replace('T', ' ')} (${due.timezone})`;
}

function reference(delivery: ClaimedDelivery): Record<string, string> {
  return { task_id: delivery.task_id, reminder_index: String(delivery.reminder_index), fire_at: delivery.fire_at.toISOString() };
}

function lines(delivery: ClaimedDelivery, late: boolean): string[] {
  return [
    delivery.due ? `Due ${describeDue(delivery.due)}.` : '',
    late ? `This reminder was set for ${delivery.fire_at.toISOString()} and is sent late.` : '',
  ].filter(Boolean);
}

export function reminderEmail(delivery: ClaimedDelivery, late: boolean): EmailMessage {
  return {
    to: delivery.email,
    subject: `Reminder: ${delivery.title}`,
    text: [`Reminder: ${delivery.title}`, ...lines(delivery, late)].join('\n'),
    reference: reference(delivery),
  };
}

export function reminderPush(delivery: ClaimedDelivery, late: boolean, tokens: readonly string[]): PushMessage {
  return {
    tokens,
    title: delivery.title,
    body: lines(delivery, late).join(' ') || 'Reminder',
    data: { ...reference(delivery), late: String(late) },
  };
}
