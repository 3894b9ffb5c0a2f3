import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BatchResponse, SendResponse, TokenMessage } from 'firebase-admin/messaging';
import { describe, expect, it } from 'vitest';
import { fcmPushSender, type FcmMessaging } from './fcm-push-sender.ts';
import { firebaseMessaging } from './firebase-messaging.ts';

/* firebase-admin's one call, Messaging.sendEach, replaced by a recording fake that answers like FCM. */

const fcmError = (code: string, message: string): SendResponse => ({
  success: false, error: { code: `messaging/${code}`, message, toJSON: () => ({ code, message }) },
});

function recordingMessaging(answer: (message: TokenMessage) => SendResponse): FcmMessaging & { calls: TokenMessage[][] } {
  const calls: TokenMessage[][] = [];
  return {
    calls,
    async sendEach(messages): Promise<BatchResponse> {
      calls.push(messages);
      const responses = messages.map(answer);
      const successCount = responses.filter((r) => r.success).length;
      return { responses, successCount, failureCount: responses.length - successCount };
    },
  };
}

const push = {
  tokens: ['token-phone', 'token-tablet'],
  title: 'Dentist',
  body: 'Due 2030-06-10 10:00 (Europe/Berlin).',
  data: { task_id: '5f0c6d1e-7a2b-4c3d-9e8f-0a1b2c3d4e5f', reminder_index: '0', fire_at: '2030-06-10T07:00:00.000Z', late: 'false' },
};

describe('push through FCM', () => {
  it('sends one message per registered device: its token, a notification and string data', async () => {
    const messaging = recordingMessaging(() => ({ success: true, messageId: 'projects/p/messages/1' }));
    expect(await fcmPushSender(messaging).send(push)).toEqual({ ok: true, via: 'push', detail: '2 of 2 devices', invalid_tokens: [] });
    expect(messaging.calls).toEqual([[
      { token: 'token-phone', notification: { title: 'Dentist', body: 'Due 2030-06-10 10:00 (Europe/Berlin).' }, data: push.data },
      { token: 'token-tablet', notification: { title: 'Dentist', body: 'Due 2030-06-10 10:00 (Europe/Berlin).' }, data: push.data },
    ]]);
  });

  it('hands back the tokens FCM no longer knows, and counts the push sent when another device took it', async () => {
    const messaging = recordingMessaging((m) => (m.token === 'token-tablet'
      ? fcmError('registration-token-not-registered', 'Requested entity was not found.')
      : { success: true, messageId: 'projects/p/messages/2' }));
    expect(await fcmPushSender(messaging).send(push)).toEqual({ ok: true, via: 'push', detail: '1 of 2 devices', invalid_tokens: ['token-tablet'] });
  });

  it('fails for good when every token is invalid, and hands them all back', async () => {
    const messaging = recordingMessaging(() => fcmError('invalid-registration-token', 'Invalid registration token'));
    expect(await fcmPushSender(messaging).send(push)).toMatchObject({ ok: false, retryable: false, invalid_tokens: ['token-phone', 'token-tablet'] });
  });

  it('fails worth a retry when FCM is unavailable, and for good when the request itself is refused', async () => {
    const unavailable = recordingMessaging(() => fcmError('server-unavailable', 'The service is unavailable'));
    expect(await fcmPushSender(unavailable).send(push)).toMatchObject({ ok: false, retryable: true, invalid_tokens: [] });
    const refused: FcmMessaging = { sendEach: () => Promise.reject(Object.assign(new Error('bad credential'), { code: 'app/invalid-credential' })) };
    expect(await fcmPushSender(refused).send(push)).toEqual({
      ok: false, retryable: false, error: 'FCM app/invalid-credential: bad credential', invalid_tokens: [],
    });
  });

  it('sends nothing to a user without devices', async () => {
    const messaging = recordingMessaging(() => ({ success: true }));
    expect(await fcmPushSender(messaging).send({ ...push, tokens: [] })).toMatchObject({ ok: false, retryable: false, error: 'no device registered for push' });
    expect(messaging.calls).toEqual([]);
  });
});

describe('the Firebase credentials', () => {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const account = {
    type: 'service_account', project_id: 'todo-test', client_email: 'todo@todo-test.iam.gserviceaccount.com',
    private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };

  it('are read from FIREBASE_CREDENTIALS as JSON or as the path of the JSON file', async () => {
    const fromJson = firebaseMessaging(JSON.stringify(account));
    expect(typeof fromJson.messaging.sendEach).toBe('function');
    await fromJson.close();
    const dir = await mkdtemp(join(tmpdir(), 'todo-firebase-'));
    try {
      const path = join(dir, 'service-account.json');
      await writeFile(path, JSON.stringify(account));
      const fromPath = firebaseMessaging(path);
      expect(typeof fromPath.messaging.sendEach).toBe('function');
      await fromPath.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('fail clearly when they are not a service account', () => {
    expect(() => firebaseMessaging('{"type":"service_account"}')).toThrow();
  });
});
