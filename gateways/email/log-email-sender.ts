import type { Logger } from 'pino';
import type { EmailSender } from '../../contracts/ports/reminder-senders.ts';

/** Without SendGrid credentials an email (a reminder, a password reset) is written to the log, and reported as delivered via `log`. */
export function logEmailSender(logger: Logger): EmailSender {
  return {
    async send(message) {
      logger.info({ delivered_via: 'log', channel: 'email', to: message.to, subject: message.subject, text: message.text, ...message.reference },
        'email written to the log: email is not configured (SENDGRID_API_KEY, SENDGRID_FROM)');
      return { ok: true, via: 'log', detail: null };
    },
  };
}
