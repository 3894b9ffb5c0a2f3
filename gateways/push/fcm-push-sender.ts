import type { BatchResponse, TokenMessage } from 'firebase-admin/messaging';
import type { PushDelivery, PushSender } from '../../contracts/ports/reminder-senders.ts';

/**
 * The one call of firebase-admin that push makes: `Messaging.sendEach`. firebase-admin's Messaging is one;
 * tests substitute a recording fake here, the narrowest seam (FCM's host cannot be redirected).
 */
export interface FcmMessaging {
  sendEach(messages: TokenMessage[]): Promise<BatchResponse>;
}

/** FCM's answer for a token that no longer names an installed app: the token is forgotten. */
const INVALID_TOKEN = new Set(['messaging/registration-token-not-registered', 'messaging/invalid-registration-token']);
/** Worth a later try: FCM overloaded or rate-limiting, or not reached. */
const TRANSIENT = new Set([
  'messaging/internal-error', 'messaging/server-unavailable', 'messaging/unknown-error', 'messaging/quota-exceeded',
  'messaging/message-rate-exceeded', 'messaging/device-message-rate-exceeded', 'app/network-error', 'app/network-timeout',
]);
const FCM_BATCH_LIMIT = 500;

function codeOf(error: unknown): string {
  return typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string' ? error.code : 'unknown';
}

function describeError(error: unknown): string {
  const message = typeof error === 'object' && error !== null && 'message' in error ? String(error.message) : String(error);
  return `FCM ${codeOf(error)}: ${message}`;
}

/**
 * Sends one message per registered device. Sent when any device took it; otherwise failed, retryable when
 * any failure was transient. Tokens FCM reports invalid come back for the caller to forget.
 */
export function fcmPushSender(messaging: FcmMessaging): PushSender {
  return {
    async send(message): Promise<PushDelivery> {
      if (message.tokens.length === 0) return { ok: false, retryable: false, error: 'no device registered for push', invalid_tokens: [] };
      const invalid: string[] = [];
      const errors: unknown[] = [];
      let delivered = 0;
      for (let start = 0; start < message.tokens.length; start += FCM_BATCH_LIMIT) {
        const tokens = message.tokens.slice(start, start + FCM_BATCH_LIMIT);
        let batch: BatchResponse;
        try {
          batch = await messaging.sendEach(tokens.map((token) => ({
            token,
            notification: { title: message.title, body: message.body },
            data: { ...message.data },
          })));
        } catch (error) {
          errors.push(error);
          continue;
        }
        batch.responses.forEach((response, index) => {
          if (response.success) { delivered += 1; return; }
          const token = tokens[index];
          if (token !== undefined && INVALID_TOKEN.has(codeOf(response.error))) invalid.push(token);
          else errors.push(response.error);
        });
      }
      if (delivered > 0) return { ok: true, via: 'push', detail: `${delivered} of ${message.tokens.length} devices`, invalid_tokens: invalid };
      if (errors.length === 0) return { ok: false, retryable: false, error: 'every registered device token was invalid (now forgotten)', invalid_tokens: invalid };
      return { ok: false, retryable: errors.some((e) => TRANSIENT.has(codeOf(e))), error: errors.map(describeError).join('; '), invalid_tokens: invalid };
    },
  };
}
