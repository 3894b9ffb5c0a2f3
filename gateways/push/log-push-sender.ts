import type { Logger } from 'pino';
import type { PushSender } from '../../contracts/ports/reminder-senders.ts';

/** Without Firebase credentials a push reminder is written to the log, and reported as delivered via `log`. */
export function logPushSender(logger: Logger): PushSender {
  return {
    async send(message) {
      logger.info({ delivered_via: 'log', channel: 'push', devices: message.tokens.length, title: message.title, body: message.body, ...message.data },
        'reminder written to the log: push is not configured (FIREBASE_CREDENTIALS)');
      return { ok: true, via: 'log', detail: null, invalid_tokens: [] };
    },
  };
}
