import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { BatchResponse, TokenMessage } from 'firebase-admin/messaging';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listenFor, type Notifications } from '../../../app/notifications.ts';
import { scheduleCaughtUpGate } from '../../../app/notifications-wiring.ts';
import type { Delivery, EmailMessage, EmailSender, PushSender } from '../../../contracts/ports/reminder-senders.ts';
import type { Reminder } from '../../../domain/task/types.ts';
import { logEmailSender } from '../../../gateways/email/log-email-sender.ts';
import { createSendGridClient, sendgridEmailSender } from '../../../gateways/email/sendgrid-email-sender.ts';
import { fcmPushSender } from '../../../gateways/push/fcm-push-sender.ts';
import { logPushSender } from '../../../gateways/push/log-push-sender.ts';
import { createDb, type Db } from '../../../gateways/postgres/db.ts';
import { createProjectionWaiter } from '../../../read-api/consistency/wait-for-projection.ts';
import { startRecordingServer, type RecordingServer } from '../../../test/support/recording-http-server.ts';
import { projectionHarness, type Harness } from '../../../test/support/projection-harness.ts';
import { testDatabase, type TestDatabase } from '../../../test/support/test-database.ts';
import { postgresDeviceRegistry } from '../../../write-side/devices/device-registry.ts';
import { registerDevice } from '../../../write-side/devices/devices.sql.ts';
import { postgresDeliveryLog } from '../../../write-side/deliveries/delivery-log.ts';
import { deliveryStreamId, REMINDER_DELIVERY_SETTLED, ReminderDeliverySettledPayload } from '../../../contracts/events/reminder-delivery-settled.ts';
import type { Projector } from '../../runtime/projector.ts';
import { PROJECTION_CHANNEL } from '../../runtime/projection-state.sql.ts';
import { rebuildProjection } from '../../runtime/rebuild-projection.ts';
import { createNotificationProjection } from './notification.projection.ts';
import { createReminderScheduler, type ReminderObserver, type ReminderSchedulerDeps } from './run-due-reminders.ts';

/*
 * The scheduler against a real PostgreSQL, fed by the real notification projector. Every pass is called
 * with a fixed `now`; nothing waits on wall time. Each test works in an era of its own, later than the
 * one before, because the schedulers' scan position (shared by the database) only moves forward.
 */

let t: TestDatabase;
let h: Harness;
let notificationProjector: Projector;
let progress: Notifications;
let caughtUp: () => Promise<boolean>;
let sendgrid: RecordingServer;
const pools: Db[] = [];
beforeAll(async () => {
  t = await testDatabase();
  h = await projectionHarness(t.db, t.url);
  notificationProjector = createNotificationProjection(h.store);
  await h.run(notificationProjector);
  progress = await listenFor(t.url, PROJECTION_CHANNEL, pino({ level: 'silent' }));
  // The gate the app uses: the schedule has applied every committed event (the bound only stops a hang).
  caughtUp = scheduleCaughtUpGate({ log: h.store, waiter: createProjectionWaiter({ db: t.db, log: h.store, onProgress: (wake) => progress.subscribe(wake), timeoutMs: 20_000 }) });
  sendgrid = await startRecordingServer({ status: 202, headers: { 'x-message-id': 'sg-1' } });
});
afterAll(async () => {
  await h.close();
  await progress.close();
  await sendgrid.close();
  await Promise.all(pools.map((pool) => pool.close()));
});

const DAY = 24 * 60 * 60_000;
const MINUTE = 60_000;
let eras = 0;
/** A fresh stretch of time, 10 days after the previous one. */
const nextEra = () => new Date(Date.UTC(2030, 0, 1) + (eras += 1) * 10 * DAY);
const plus = (base: Date, ms: number) => new Date(base.getTime() + ms);

const as = (email: string | null) => ({ request_id: null, correlation_id: null, causation_id: null, traceparent: null, user_email: email });

async function createTask(title: string, reminders: Reminder[], user = 'ada'): Promise<string> {
  const id = randomUUID();
  const outcome = await h.commands.handle({ type: 'CreateTask', task_id: id, user_id: user, fields: { title, reminders } }, as(`${user}@example.com`));
  expect(outcome.ok).toBe(true);
  return id;
}

const at = (instant: Date, channels: Reminder['channels'] = ['email']): Reminder => ({ at: instant.toISOString(), channels });

interface RecordingEmail extends EmailSender { readonly sent: EmailMessage[] }

/** A sender in SendGrid's place that records what it was given, and yields once so that passes interleave. */
function recordingEmail(answer: (message: EmailMessage) => Delivery = () => ({ ok: true, via: 'email', detail: null })): RecordingEmail {
  const sent: EmailMessage[] = [];
  return {
    sent,
    async send(message) {
      sent.push(message);
      await nextTurn();
      return answer(message);
    },
  };
}

const unusedPush: PushSender = { send: () => Promise.reject(new Error('no push expected here')) };

interface ObservedReminders extends ReminderObserver { readonly events: string[] }
function observed(): ObservedReminders {
  const events: string[] = [];
  return {
    events,
    due: (channel) => events.push(`due ${channel}`),
    sent: (channel, via, r) => events.push(`sent ${channel} via ${via}${r.late ? ' late' : ''}`),
    failed: (channel, r) => events.push(`failed ${channel}${r.retrying ? ' retrying' : ''}`),
    missed: (channel) => events.push(`missed ${channel}`),
    cancelled: (channel) => events.push(`cancelled ${channel}`),
    scheduleBehind: () => events.push('behind'),
  };
}

function scheduler(overrides: Partial<ReminderSchedulerDeps> = {}) {
  const db = overrides.db ?? t.db;
  return createReminderScheduler({
    db,
    email: recordingEmail(),
    push: unusedPush,
    devices: postgresDeviceRegistry(db),
    log: h.store,
    deliveries: postgresDeliveryLog(),
    observer: observed(),
    scheduleCaughtUp: caughtUp,
    ...overrides,
  });
}

interface DeliveryRecord {
  task_id: string; channel: string; status: string; delivered_via: string | null; attempts: number; late: boolean;
  last_error: string | null; next_attempt_at: Date; sent_at: Date | null;
}
async function deliveries(...taskIds: string[]): Promise<DeliveryRecord[]> {
  const result = await t.db.query<DeliveryRecord>(
    `SELECT task_id, channel, status, delivered_via, attempts, late, last_error, next_attempt_at, sent_at FROM notification_deliveries
      WHERE task_id = ANY($1::uuid[]) ORDER BY task_id, channel`,
    [taskIds],
  );
  return result.rows;
}

describe('two schedulers on one database', () => {
  it('send each reminder exactly once when their passes run at the same time', async () => {
    const era = nextEra();
    const ids = await Promise.all(Array.from({ length: 24 }, (_, i) => createTask(`Task ${i}`, [at(plus(era, 60 * MINUTE))])));
    const first = recordingEmail();
    const second = recordingEmail();
    const a = scheduler({ email: first, batchSize: 4 });
    const b = scheduler({ email: second, batchSize: 4 });
    const now = plus(era, 60 * MINUTE);

    await Promise.all([a.runDueReminders(now), b.runDueReminders(now), a.runDueReminders(now), b.runDueReminders(now)]);
    await Promise.all([a.runDueReminders(plus(now, 1000)), b.runDueReminders(plus(now, 1000))]);

    const sentTo = [...first.sent, ...second.sent].map((m) => m.reference['task_id']).sort();
    expect(sentTo).toEqual([...ids].sort());
    expect(first.sent.length).toBeGreaterThan(0);
    expect(second.sent.length).toBeGreaterThan(0);
    expect((await deliveries(...ids)).map((d) => [d.status, d.attempts, d.delivered_via])).toEqual(ids.map(() => ['sent', 1, 'email']));
  });

  it('send each reminder exactly once when each has a connection pool of its own', async () => {
    const era = nextEra();
    const ids = await Promise.all(Array.from({ length: 24 }, (_, i) => createTask(`Task ${i}`, [at(plus(era, 60 * MINUTE), ['email'])])));
    const poolA = createDb(t.url, { max: 4 });
    const poolB = createDb(t.url, { max: 4 });
    pools.push(poolA, poolB);
    const first = recordingEmail();
    const second = recordingEmail();
    const a = scheduler({ db: poolA, email: first, batchSize: 3 });
    const b = scheduler({ db: poolB, email: second, batchSize: 3 });
    const now = plus(era, 61 * MINUTE);

    await Promise.all([a.runDueReminders(now), b.runDueReminders(now)]);
    await Promise.all([a.runDueReminders(now), b.runDueReminders(now)]);

    const sentTo = [...first.sent, ...second.sent].map((m) => m.reference['task_id']).sort();
    expect(sentTo).toEqual([...ids].sort());
  });
});

describe('what is due', () => {
  it('never sends a reminder for a task completed before its time', async () => {
    const era = nextEra();
    const id = await createTask('Done early', [at(plus(era, 60 * MINUTE))]);
    await h.commands.handle({ type: 'CompleteTask', task_id: id, user_id: 'ada' }, as('ada@example.com'));
    const email = recordingEmail();
    const summary = await scheduler({ email }).runDueReminders(plus(era, 2 * 60 * MINUTE));
    expect(summary.sent).toBe(0);
    expect(email.sent).toEqual([]);
    expect(await deliveries(id)).toEqual([]);
  });

  it('sends a reminder due in this pass on time, once', async () => {
    const era = nextEra();
    const id = await createTask('Standup', [at(plus(era, 60 * MINUTE))]);
    const observer = observed();
    const email = recordingEmail();
    const s = scheduler({ email, observer });
    expect((await s.runDueReminders(plus(era, 59 * MINUTE))).sent).toBe(0);
    expect((await s.runDueReminders(plus(era, 60 * MINUTE + 1000))).sent).toBe(1);
    expect((await s.runDueReminders(plus(era, 60 * MINUTE + 2000))).sent).toBe(0);
    expect(email.sent.map((m) => [m.to, m.subject])).toEqual([['ada@example.com', 'Reminder: Standup']]);
    expect(observer.events).toEqual(['due email', 'sent email via email']);
    expect(await deliveries(id)).toEqual([expect.objectContaining({ status: 'sent', late: false, sent_at: plus(era, 60 * MINUTE + 1000) })]);
  });

  it('sends a reminder late, once, when the scheduler starts after its time', async () => {
    const era = nextEra();
    const id = await createTask('Pay rent', [at(plus(era, 60 * MINUTE))]);
    const email = recordingEmail();
    const later = scheduler({ email });
    await later.runDueReminders(plus(era, 3 * 60 * MINUTE));
    await later.runDueReminders(plus(era, 3 * 60 * MINUTE + 1000));
    expect(email.sent).toHaveLength(1);
    expect(email.sent[0]?.text).toContain('is sent late');
    expect(await deliveries(id)).toEqual([expect.objectContaining({ status: 'sent', late: true, attempts: 1 })]);
  });

  it('records a reminder older than the bound as missed and sends nothing, across a downtime of days', async () => {
    const era = nextEra();
    const old = await createTask('Long gone', [at(plus(era, 60 * MINUTE), ['email', 'push'])]);
    const recent = await createTask('Just now', [at(plus(era, 3 * DAY - 30 * MINUTE))]);
    const email = recordingEmail();
    const observer = observed();
    const summary = await scheduler({ email, observer, policy: { maxLatenessMs: 60 * MINUTE } }).runDueReminders(plus(era, 3 * DAY));
    expect(summary).toMatchObject({ sent: 1, missed: 2 });
    expect(email.sent.map((m) => m.reference['task_id'])).toEqual([recent]);
    expect((await deliveries(old)).map((d) => [d.channel, d.status, d.attempts])).toEqual([['email', 'missed', 1], ['push', 'missed', 1]]);
    expect(observer.events.filter((e) => e.startsWith('missed')).sort()).toEqual(['missed email', 'missed push']);
  });

  it('cancels a retry when the task is completed before it', async () => {
    const era = nextEra();
    const id = await createTask('Flaky', [at(plus(era, 60 * MINUTE))]);
    const email = recordingEmail(() => ({ ok: false, retryable: true, error: 'SendGrid answered 503' }));
    const s = scheduler({ email });
    expect(await s.runDueReminders(plus(era, 60 * MINUTE))).toMatchObject({ retrying: 1 });
    await h.commands.handle({ type: 'CompleteTask', task_id: id, user_id: 'ada' }, as('ada@example.com'));
    expect(await s.runDueReminders(plus(era, 70 * MINUTE))).toMatchObject({ cancelled: 1, sent: 0 });
    expect(email.sent).toHaveLength(1);
    expect(await deliveries(id)).toEqual([expect.objectContaining({ status: 'cancelled', attempts: 1, last_error: 'SendGrid answered 503' })]);
  });

  it('keeps what was sent through a rebuild of the schedule, and sends nothing again', async () => {
    const era = nextEra();
    const id = await createTask('Kept', [at(plus(era, 60 * MINUTE))]);
    const email = recordingEmail();
    const s = scheduler({ email });
    await s.runDueReminders(plus(era, 60 * MINUTE));
    await rebuildProjection(t.db, h.store, notificationProjector);
    await s.runDueReminders(plus(era, 61 * MINUTE));
    expect(email.sent).toHaveLength(1);
    expect(await deliveries(id)).toEqual([expect.objectContaining({ status: 'sent', attempts: 1 })]);
  });

  it('never sends again a reminder whose send outcome is unknown (its sender died mid-send)', async () => {
    const era = nextEra();
    const id = await createTask('In flight', [at(plus(era, 60 * MINUTE))]);
    let signalSending: () => void = () => undefined;
    const sending = new Promise<void>((resolve) => { signalSending = resolve; });
    let finish: (delivery: Delivery) => void = () => undefined;
    const dying: EmailSender = { send: () => { signalSending(); return new Promise<Delivery>((resolve) => { finish = resolve; }); } };
    const crashed = scheduler({ email: dying }).runDueReminders(plus(era, 60 * MINUTE));
    await sending;

    const email = recordingEmail();
    const survivor = scheduler({ email });
    await survivor.runDueReminders(plus(era, 65 * MINUTE));
    expect(await deliveries(id)).toEqual([expect.objectContaining({ status: 'sending', attempts: 1 })]);
    expect(await survivor.runDueReminders(plus(era, 75 * MINUTE))).toMatchObject({ failed: 1, sent: 0 });
    expect(email.sent).toEqual([]);
    const [settled] = await deliveries(id);
    expect(settled).toMatchObject({ status: 'failed', attempts: 1 });
    expect(settled?.last_error).toContain('outcome unknown');

    finish({ ok: false, retryable: true, error: 'too late to matter' });
    await crashed;
  });
});

describe('the channels', () => {
  it('email goes through @sendgrid/mail to SendGrid: a 500 is retried after the backoff, then sent', async () => {
    const era = nextEra();
    const id = await createTask('Dentist', [at(plus(era, 60 * MINUTE))]);
    sendgrid.requests.length = 0;
    sendgrid.reply({ status: 500 });
    const email = sendgridEmailSender({ client: createSendGridClient({ apiKey: 'SG.test-key', baseUrl: sendgrid.url }), from: 'todo@example.com' });
    const s = scheduler({ email });
    const now = plus(era, 60 * MINUTE);

    expect(await s.runDueReminders(now)).toMatchObject({ retrying: 1 });
    expect(await deliveries(id)).toEqual([expect.objectContaining({ status: 'retrying', attempts: 1, last_error: 'SendGrid answered 500', next_attempt_at: plus(now, 30_000) })]);
    expect(await s.runDueReminders(plus(now, 10_000))).toMatchObject({ sent: 0, retrying: 0 });
    expect(await s.runDueReminders(plus(now, 30_000))).toMatchObject({ sent: 1 });

    expect(sendgrid.requests).toHaveLength(2);
    for (const request of sendgrid.requests) {
      expect(request.path).toBe('/v3/mail/send');
      expect(request.headers['authorization']).toBe('Bearer SG.test-key');
      expect(request.body).toMatchObject({
        from: { email: 'todo@example.com' },
        subject: 'Reminder: Dentist',
        personalizations: [{ to: [{ email: 'ada@example.com' }] }],
      });
    }
    expect(await deliveries(id)).toEqual([expect.objectContaining({ status: 'sent', attempts: 2, delivered_via: 'email', last_error: null })]);
  });

  it('email that SendGrid refuses with a 400 fails at once and is not tried again', async () => {
    const era = nextEra();
    const id = await createTask('Refused', [at(plus(era, 60 * MINUTE))]);
    sendgrid.requests.length = 0;
    sendgrid.reply({ status: 400, body: { errors: [{ message: 'Does not contain a valid address.' }] } });
    const email = sendgridEmailSender({ client: createSendGridClient({ apiKey: 'SG.test-key', baseUrl: sendgrid.url }), from: 'todo@example.com' });
    const s = scheduler({ email });
    expect(await s.runDueReminders(plus(era, 60 * MINUTE))).toMatchObject({ failed: 1 });
    expect(await s.runDueReminders(plus(era, 2 * 60 * MINUTE))).toMatchObject({ failed: 0, sent: 0 });
    expect(sendgrid.requests).toHaveLength(1);
    expect(await deliveries(id)).toEqual([expect.objectContaining({ status: 'failed', attempts: 1, last_error: 'SendGrid answered 400: Does not contain a valid address.' })]);
  });

  it('push goes through firebase-admin\'s sendEach to every device; a token FCM no longer knows is forgotten', async () => {
    const era = nextEra();
    const id = await createTask('Gym', [at(plus(era, 60 * MINUTE), ['push'])], 'cy');
    await registerDevice(t.db, 'cy', 'token-phone', 'android');
    await registerDevice(t.db, 'cy', 'token-old', 'ios');
    const calls: TokenMessage[][] = [];
    const messaging = {
      async sendEach(messages: TokenMessage[]): Promise<BatchResponse> {
        calls.push(messages);
        const responses = messages.map((m) => (m.token === 'token-old'
          ? { success: false, error: { code: 'messaging/registration-token-not-registered', message: 'Requested entity was not found.', toJSON: () => ({}) } }
          : { success: true, messageId: 'projects/p/messages/1' }));
        return { responses, successCount: 1, failureCount: 1 };
      },
    };
    const s = scheduler({ push: fcmPushSender(messaging) });
    expect(await s.runDueReminders(plus(era, 60 * MINUTE))).toMatchObject({ sent: 1 });

    const data = { task_id: id, reminder_index: '0', fire_at: plus(era, 60 * MINUTE).toISOString(), late: 'false' };
    expect(calls).toEqual([[
      { token: 'token-phone', notification: { title: 'Gym', body: 'Reminder' }, data },
      { token: 'token-old', notification: { title: 'Gym', body: 'Reminder' }, data },
    ]]);
    expect(await postgresDeviceRegistry(t.db).tokensOf('cy')).toEqual(['token-phone']);
    expect(await deliveries(id)).toEqual([expect.objectContaining({ channel: 'push', status: 'sent', delivered_via: 'push' })]);
  });

  it('without credentials, a reminder is written to the log and recorded as delivered via the log, never as emailed', async () => {
    const era = nextEra();
    const id = await createTask('Log me', [at(plus(era, 60 * MINUTE), ['email', 'push'])]);
    const lines: Array<Record<string, unknown>> = [];
    const logger = pino(new Writable({ write(chunk: Buffer, _encoding, done) { lines.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>); done(); } }));
    const observer = observed();
    const s = scheduler({ email: logEmailSender(logger), push: logPushSender(logger), observer });
    expect(await s.runDueReminders(plus(era, 60 * MINUTE))).toMatchObject({ sent: 2 });
    expect((await deliveries(id)).map((d) => [d.channel, d.status, d.delivered_via])).toEqual([['email', 'sent', 'log'], ['push', 'sent', 'log']]);
    expect(observer.events.filter((e) => e.startsWith('sent')).sort()).toEqual(['sent email via log', 'sent push via log']);
    expect(lines).toEqual(expect.arrayContaining([
      expect.objectContaining({ delivered_via: 'log', channel: 'email', to: 'ada@example.com', subject: 'Reminder: Log me', task_id: id }),
      expect.objectContaining({ delivered_via: 'log', channel: 'push', title: 'Log me', task_id: id }),
    ]));
  });
});

describe('what was delivered, in the log', () => {
  it('restores the delivery records when the schedule is rebuilt from the log: nothing sent goes out again, pending reminders still fire', async () => {
    const era = nextEra();
    const sentId = await createTask('Sent before the restore', [at(plus(era, 60 * MINUTE))]);
    const pendingId = await createTask('Still pending', [at(plus(era, 3 * 60 * MINUTE))]);
    const before = recordingEmail();
    expect(await scheduler({ email: before }).runDueReminders(plus(era, 60 * MINUTE))).toMatchObject({ sent: 1 });
    const recorded = await deliveries(sentId);
    expect(recorded).toEqual([expect.objectContaining({ status: 'sent', attempts: 1 })]);

    // In a stream of its own, which the settlement of a retried pass leaves alone; the task's version is untouched.
    const place = { task_id: sentId, reminder_index: 0, fire_at: plus(era, 60 * MINUTE).toISOString(), channel: 'email' as const };
    const [settlement, ...more] = await h.store.readStream(deliveryStreamId(place));
    expect(more).toEqual([]);
    expect(settlement).toMatchObject({ type: REMINDER_DELIVERY_SETTLED, version: 1, data: { ...place, status: 'sent', delivered_via: 'email', attempts: 1 } });
    await postgresDeliveryLog().recordSettled(t.db, ReminderDeliverySettledPayload.parse(settlement?.data), null);
    expect(await h.store.readStream(deliveryStreamId(place))).toHaveLength(1);
    expect((await h.store.readStream(sentId)).map((event) => event.version)).toEqual([1]);

    // Restored from the log alone: no delivery record, no scan position; the schedule rebuilt from the log.
    await t.db.query('DELETE FROM notification_deliveries WHERE task_id = ANY($1::uuid[])', [[sentId, pendingId]]);
    await t.db.query('UPDATE notification_scan SET scanned_until = NULL');
    await rebuildProjection(t.db, h.store, notificationProjector);
    expect(await deliveries(sentId)).toEqual(recorded);

    const after = recordingEmail();
    await scheduler({ email: after }).runDueReminders(plus(era, 3 * 60 * MINUTE));
    expect(after.sent.map((message) => message.reference['task_id'])).toEqual([pendingId]);
    expect(await deliveries(sentId)).toEqual(recorded);
    expect(await deliveries(pendingId)).toEqual([expect.objectContaining({ status: 'sent', attempts: 1 })]);
  });
});
