import { generateKeyPairSync } from 'node:crypto';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';
import { chooseReminderChannels } from './notifications-wiring.ts';

const silent = pino({ level: 'silent' });
const chosen = async (env: Record<string, string>) => {
  const channels = chooseReminderChannels(loadConfig(env), silent);
  await channels.close();
  return channels.chosen;
};

describe('choosing the reminder channels from the configuration', () => {
  it('writes reminders to the log without credentials', async () => {
    expect(await chosen({})).toEqual({ email: 'log', push: 'log' });
  });

  it('emails through SendGrid only with both an API key and a sender address', async () => {
    expect(await chosen({ SENDGRID_API_KEY: 'SG.key' })).toEqual({ email: 'log', push: 'log' });
    expect(await chosen({ SENDGRID_FROM: 'todo@example.com' })).toEqual({ email: 'log', push: 'log' });
    expect(await chosen({ SENDGRID_API_KEY: 'SG.key', SENDGRID_FROM: 'todo@example.com' })).toEqual({ email: 'sendgrid', push: 'log' });
  });

  it('pushes through FCM with a service account in FIREBASE_CREDENTIALS', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const account = JSON.stringify({
      type: 'service_account', project_id: 'todo-test', client_email: 'todo@todo-test.iam.gserviceaccount.com',
      private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    });
    expect(await chosen({ FIREBASE_CREDENTIALS: account })).toEqual({ email: 'log', push: 'fcm' });
  });

  it('reads the lateness bound and the tick from the environment, with defaults', () => {
    expect(loadConfig({})).toMatchObject({ REMINDER_MAX_LATENESS_MINUTES: 1440, REMINDER_TICK_SECONDS: 1 });
    expect(loadConfig({ REMINDER_MAX_LATENESS_MINUTES: '30', REMINDER_TICK_SECONDS: '0' })).toMatchObject({ REMINDER_MAX_LATENESS_MINUTES: 30, REMINDER_TICK_SECONDS: 0 });
    expect(() => loadConfig({ REMINDER_MAX_LATENESS_MINUTES: '0' })).toThrow(/REMINDER_MAX_LATENESS_MINUTES/);
  });
});
