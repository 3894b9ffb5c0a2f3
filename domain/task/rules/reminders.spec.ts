import { describe, expect, it } from 'vitest';
import type { Channel, Due, Reminder } from '../types.ts';
import { validateReminders } from './reminders.ts';

const due: Due = { datetime: '2026-04-01T09:00', timezone: 'Europe/Berlin' };
const before = (before_minutes: number, channels: Channel[] = ['email']): Reminder => ({ before_minutes, channels });
const at = (instant: string, channels: Channel[] = ['push']): Reminder => ({ at: instant, channels });

describe('reminders', () => {
  it('may be none', () => expect(validateReminders([], null)).toEqual([]));
  it('accepts 10 reminders', () => expect(validateReminders(Array.from({ length: 10 }, (_, i) => before(i)), due)).toEqual([]));
  it('refuses 11 reminders', () =>
    expect(validateReminders(Array.from({ length: 11 }, (_, i) => before(i)), due))
      .toEqual([{ path: 'reminders', message: 'must hold at most 10 reminders (got 11)' }]));

  it('accepts before_minutes from 0 to 525600 (a year)', () => expect(validateReminders([before(0), before(525_600)], due)).toEqual([]));
  it.each([-1, 525_601, 1.5, Number.NaN])('refuses before_minutes %s', (minutes) =>
    expect(validateReminders([before(minutes)], due))
      .toEqual([{ path: 'reminders[0].before_minutes', message: 'must be a whole number of minutes from 0 to 525600' }]));
  it('accepts before_minutes relative to a date-only due', () => expect(validateReminders([before(60)], { date: '2026-04-01' })).toEqual([]));
  it('refuses before_minutes when the task has no due date', () =>
    expect(validateReminders([at('2026-03-31T08:00:00Z'), before(15)], null))
      .toEqual([{ path: 'reminders[1].before_minutes', message: 'needs the task to have a due date' }]));

  it('accepts an absolute instant with Z or an offset, with or without a due date', () =>
    expect(validateReminders([at('2026-03-31T08:00:00Z'), at('2026-03-31T10:00:00+02:00')], null)).toEqual([]));
  it.each(['2026-03-31T08:00:00', '2026-03-31', 'tomorrow', '2026-02-30T08:00:00Z'])('refuses at %j', (instant) =>
    expect(validateReminders([at(instant)], null)).toMatchObject([{ path: 'reminders[0].at' }]));

  it('refuses a reminder that is both relative and absolute', () => {
    const both = { before_minutes: 5, at: '2026-03-31T08:00:00Z', channels: ['email'] as Channel[] };
    expect(validateReminders([both], due)).toEqual([{ path: 'reminders[0]', message: 'must have either before_minutes or at, not both' }]);
  });

  it('accepts each channel, and both', () => expect(validateReminders([before(5, ['email']), before(6, ['push']), before(7, ['push', 'email'])], due)).toEqual([]));
  it('refuses no channel', () =>
    expect(validateReminders([before(5, [])], due)).toEqual([{ path: 'reminders[0].channels', message: 'must name at least one channel (email, push)' }]));
  it('refuses a channel named twice', () =>
    expect(validateReminders([before(5, ['email', 'email'])], due)).toEqual([{ path: 'reminders[0].channels[1]', message: 'lists "email" more than once' }]));
  it('refuses an unknown channel', () => {
    const sms = 'sms';
    expect(validateReminders([before(5, ['email', sms as Channel])], due))
      .toEqual([{ path: 'reminders[0].channels[1]', message: 'must be one of email, push' }]);
  });
});
