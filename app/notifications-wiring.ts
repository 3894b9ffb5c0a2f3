import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { Config } from '../contracts/config.ts';
import type { EmailSender, PushSender } from '../contracts/ports/reminder-senders.ts';
import type { Transactional } from '../contracts/ports/sql.ts';
import { logEmailSender } from '../gateways/email/log-email-sender.ts';
import { createSendGridClient, sendgridEmailSender } from '../gateways/email/sendgrid-email-sender.ts';
import { fcmPushSender } from '../gateways/push/fcm-push-sender.ts';
import { firebaseMessaging } from '../gateways/push/firebase-messaging.ts';
import { logPushSender } from '../gateways/push/log-push-sender.ts';
import { startReminderTick, type ReminderTick } from '../projections/read-models/notification/reminder-tick.ts';
import { createReminderScheduler, type ReminderScheduler } from '../projections/read-models/notification/run-due-reminders.ts';
import type { ProjectionWaiter } from '../read-api/consistency/wait-for-projection.ts';
import { postgresDeviceRegistry } from '../write-side/devices/device-registry.ts';
import { postgresDeliveryLog } from '../write-side/deliveries/delivery-log.ts';
import { reminderMetrics } from './reminder-metrics.ts';
import { PROJECTIONS } from '../contracts/projection-names.ts';
import type { EventLog } from '../contracts/ports/event-log.ts';

export interface ReminderChannels {
  readonly email: EmailSender;
  readonly push: PushSender;
  /** Which implementation each channel got, for the start-up log. */
  readonly chosen: { readonly email: 'sendgrid' | 'log'; readonly push: 'fcm' | 'log' };
  close(): Promise<void>;
}

/** SendGrid when both SENDGRID_API_KEY and SENDGRID_FROM are set, else null (the log takes the mail). */
function sendgridFromConfig(config: Config): EmailSender | null {
  return config.SENDGRID_API_KEY && config.SENDGRID_FROM
    ? sendgridEmailSender({
      client: createSendGridClient({ apiKey: config.SENDGRID_API_KEY, ...(config.SENDGRID_BASE_URL ? { baseUrl: config.SENDGRID_BASE_URL } : {}) }),
      from: config.SENDGRID_FROM,
    })
    : null;
}

/** The email channel of everything that mails (reminders, password resets): SendGrid when configured, else the log. */
export function chooseEmailSender(config: Config, logger: Logger): EmailSender {
  return sendgridFromConfig(config) ?? logEmailSender(logger);
}

/** SendGrid when both SENDGRID_API_KEY and SENDGRID_FROM are set, FCM when FIREBASE_CREDENTIALS is; else the log. */
export function chooseReminderChannels(config: Config, logger: Logger): ReminderChannels {
  const email = sendgridFromConfig(config);
  const firebase = config.FIREBASE_CREDENTIALS ? firebaseMessaging(config.FIREBASE_CREDENTIALS) : null;
  return {
    email: email ?? logEmailSender(logger),
    push: firebase ? fcmPushSender(firebase.messaging) : logPushSender(logger),
    chosen: { email: email ? 'sendgrid' : 'log', push: firebase ? 'fcm' : 'log' },
    close: async () => { await firebase?.close(); },
  };
}

/**
 * The scheduler's guard against acting on a stale schedule: waits, up to the waiter's bound, until the
 * schedule has applied every event committed so far — not only those gap-safe readers may pass already,
 * so a completion committed while an older transaction is still open holds the pass back rather than
 * letting its reminder out.
 */
export function scheduleCaughtUpGate(deps: { log: Pick<EventLog, 'readLastCommittedPosition'>; waiter: ProjectionWaiter }): () => Promise<boolean> {
  return async () => deps.waiter.waitFor(PROJECTIONS.notification, await deps.log.readLastCommittedPosition());
}

export interface Reminders {
  readonly scheduler: ReminderScheduler;
  stop(): Promise<void>;
}

/**
 * The reminder scheduler with its channels, devices and metrics, ticking every REMINDER_TICK_SECONDS on
 * the given clock (0: not at all; `scheduler.runDueReminders` still works). Each pass first waits for the
 * schedule to catch up (`scheduleCaughtUpGate`), up to the read-your-writes bound.
 */
export function startReminders(deps: {
  config: Config;
  db: Transactional;
  log: Pick<EventLog, 'readEventsAt' | 'readLastCommittedPosition'>;
  waiter: ProjectionWaiter;
  registry: Registry;
  logger: Logger;
  clock: () => Date;
  /** Overrides the wait for the schedule to catch up with the log (the bus-fed schedule has no log checkpoint). */
  scheduleCaughtUp?: () => Promise<boolean>;
  /** Wakes the log readers after the scheduler appended delivery settlements. */
  announceAppends?: () => void;
}): Reminders {
  const { config, logger } = deps;
  const channels = chooseReminderChannels(config, logger);
  logger.info({ email: channels.chosen.email, push: channels.chosen.push }, 'reminder channels');
  const scheduler = createReminderScheduler({
    db: deps.db,
    email: channels.email,
    push: channels.push,
    devices: postgresDeviceRegistry(deps.db),
    log: deps.log,
    deliveries: postgresDeliveryLog(deps.announceAppends ? { announce: deps.announceAppends } : {}),
    observer: reminderMetrics(deps.registry, logger),
    scheduleCaughtUp: deps.scheduleCaughtUp ?? scheduleCaughtUpGate(deps),
    policy: { maxLatenessMs: config.REMINDER_MAX_LATENESS_MINUTES * 60_000 },
  });
  const tick: ReminderTick | null = config.REMINDER_TICK_SECONDS > 0
    ? startReminderTick({
      run: (now) => scheduler.runDueReminders(now),
      clock: deps.clock,
      everySeconds: config.REMINDER_TICK_SECONDS,
      onError: (error) => logger.error({ err: error }, 'reminder pass failed; the next tick tries again'),
    })
    : null;
  return {
    scheduler,
    async stop() {
      await tick?.stop();
      await channels.close();
    },
  };
}
