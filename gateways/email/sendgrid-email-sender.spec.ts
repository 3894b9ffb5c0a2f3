import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startRecordingServer, type RecordingServer } from '../../test/support/recording-http-server.ts';
import { createSendGridClient, sendgridEmailSender } from './sendgrid-email-sender.ts';

/* The real @sendgrid/mail and @sendgrid/client, against a recording server on 127.0.0.1 in SendGrid's place. */

let sendgrid: RecordingServer;
beforeAll(async () => { sendgrid = await startRecordingServer({ status: 202, headers: { 'x-message-id': 'msg-1' } }); });
afterAll(() => sendgrid.close());
beforeEach(() => { sendgrid.requests.length = 0; });

const message = {
  to: 'ada@example.com',
  subject: 'Reminder: Dentist',
  text: 'Reminder: Dentist\nDue 2030-06-10 10:00 (Europe/Berlin).',
  reference: { task_id: '5f0c6d1e-7a2b-4c3d-9e8f-0a1b2c3d4e5f', reminder_index: '0', fire_at: '2030-06-10T07:00:00.000Z' },
};
const sender = () => sendgridEmailSender({ client: createSendGridClient({ apiKey: 'SG.test-key', baseUrl: sendgrid.url }), from: 'todo@example.com' });

describe('email through SendGrid', () => {
  it('posts the v3 mail/send request: recipient, sender, subject, text and the API key', async () => {
    expect(await sender().send(message)).toEqual({ ok: true, via: 'email', detail: 'msg-1' });
    expect(sendgrid.requests).toHaveLength(1);
    const [request] = sendgrid.requests;
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe('/v3/mail/send');
    expect(request?.headers['authorization']).toBe('Bearer SG.test-key');
    expect(request?.body).toEqual({
      from: { email: 'todo@example.com' },
      subject: 'Reminder: Dentist',
      personalizations: [{ to: [{ email: 'ada@example.com' }] }],
      content: [{ type: 'text/plain', value: 'Reminder: Dentist\nDue 2030-06-10 10:00 (Europe/Berlin).' }],
      custom_args: message.reference,
    });
  });

  it('reports a 5xx or a 429 as worth retrying, and a 4xx as final, with SendGrid\'s reason', async () => {
    sendgrid.reply({ status: 500 }, { status: 429 }, { status: 400, body: { errors: [{ message: 'The from address does not match a verified Sender Identity' }] } });
    expect(await sender().send(message)).toEqual({ ok: false, retryable: true, error: 'SendGrid answered 500' });
    expect(await sender().send(message)).toEqual({ ok: false, retryable: true, error: 'SendGrid answered 429' });
    expect(await sender().send(message)).toEqual({
      ok: false, retryable: false, error: 'SendGrid answered 400: The from address does not match a verified Sender Identity',
    });
  });

  it('reports an unreachable SendGrid as worth retrying', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const unreachable = sendgridEmailSender({ client: createSendGridClient({ apiKey: 'SG.test-key', baseUrl: `http://127.0.0.1:${port}` }), from: 'todo@example.com' });
    expect(await unreachable.send(message)).toMatchObject({ ok: false, retryable: true, error: 'SendGrid not reached: ECONNREFUSED' });
  });

  it('sends nothing for an owner without an address, and says why', async () => {
    expect(await sender().send({ ...message, to: null })).toMatchObject({ ok: false, retryable: false });
    expect(sendgrid.requests).toHaveLength(0);
  });
});
