import { Client } from '@sendgrid/client';
import { MailService } from '@sendgrid/mail';
import type { Delivery, EmailSender } from '../../contracts/ports/reminder-senders.ts';

/**
 * A SendGrid API client. `setApiKey` points it at SendGrid's global host, so a base URL of our own (a
 * regional host, or a recording server in tests) is set after it.
 */
export function createSendGridClient(options: { apiKey: string; baseUrl?: string }): Client {
  const client = new Client();
  client.setApiKey(options.apiKey);
  if (options.baseUrl) client.setDefaultRequest('baseUrl', options.baseUrl);
  return client;
}

interface SendGridFailure { code?: unknown; message?: unknown; response?: { body?: unknown } }

function responseDetail(body: unknown): string {
  if (typeof body !== 'object' || body === null || !('errors' in body) || !Array.isArray(body.errors)) return '';
  const messages = body.errors.map((e: unknown) => (typeof e === 'object' && e !== null && 'message' in e ? String(e.message) : '')).filter(Boolean);
  return messages.length > 0 ? `: ${messages.join('; ')}` : '';
}

/** 429 and 5xx may pass on a later try, as may a request that never reached SendGrid; other 4xx never will. */
export function classifySendGridError(error: unknown): Delivery {
  const failure: SendGridFailure = typeof error === 'object' && error !== null ? error : {};
  if (typeof failure.code === 'number') {
    const status = failure.code;
    return { ok: false, retryable: status === 429 || status >= 500, error: `SendGrid answered ${status}${responseDetail(failure.response?.body)}` };
  }
  const reason = typeof failure.code === 'string' ? failure.code : typeof failure.message === 'string' ? failure.message : String(error);
  return { ok: false, retryable: true, error: `SendGrid not reached: ${reason}` };
}

/** Email through @sendgrid/mail on the given client (its API key and base URL set by the caller). */
export function sendgridEmailSender(options: { client: Client; from: string; timeoutMs?: number }): EmailSender {
  const mail = new MailService();
  mail.setClient(options.client);
  mail.setTimeout(options.timeoutMs ?? 30_000);
  return {
    async send(message) {
      if (!message.to) return { ok: false, retryable: false, error: 'no email address: the owner\'s token carried no email claim' };
      try {
        const [response] = await mail.send({
          to: message.to,
          from: options.from,
          subject: message.subject,
          text: message.text,
          customArgs: { ...message.reference },
        });
        // The helpers type the headers as any; SendGrid names the accepted message in X-Message-Id.
        const id: unknown = Reflect.get(response.headers as object, 'x-message-id');
        return { ok: true, via: 'email', detail: typeof id === 'string' ? id : null };
      } catch (error) {
        return classifySendGridError(error);
      }
    },
  };
}
