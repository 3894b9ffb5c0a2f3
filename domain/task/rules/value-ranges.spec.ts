import { describe, expect, it } from 'vitest';
import { unstorableText } from '../../common/storable-text.ts';
import { validateDescription } from './description.ts';
import { validateDue } from './due.ts';
import { validateReminders } from './reminders.ts';
import { validateTags } from './tags.ts';
import { validateTitle } from './title.ts';

describe('the span of instants a task may name: 0001-01-01T00:00:00.000Z to 9999-12-31T23:59:59.999Z', () => {
  it('takes a due date on the first and on the last day whose end is still in the span', () => {
    expect(validateDue({ date: '0001-01-01' })).toEqual([]);
    expect(validateDue({ date: '9999-12-30' })).toEqual([]);
  });
  it('refuses year 0000, which PostgreSQL cannot store', () =>
    expect(validateDue({ date: '0000-01-01' })).toMatchObject([{ path: 'due.date' }]));
  it('refuses 9999-12-31: it becomes overdue in year 10000', () =>
    expect(validateDue({ date: '9999-12-31' })).toMatchObject([{ path: 'due.date' }]));
  it('judges a date-time by its instant in its zone', () => {
    expect(validateDue({ datetime: '9999-12-31T23:59:59', timezone: 'Europe/Berlin' })).toEqual([]);
    expect(validateDue({ datetime: '9999-12-31T23:59', timezone: 'America/New_York' })).toMatchObject([{ path: 'due.datetime' }]);
    expect(validateDue({ datetime: '0001-01-01T00:00', timezone: 'UTC' })).toEqual([]);
    expect(validateDue({ datetime: '0001-01-01T00:00', timezone: 'Asia/Tokyo' })).toMatchObject([{ path: 'due.datetime' }]);
  });
  it('refuses a reminder that would fire before year 1', () => {
    expect(validateReminders([{ before_minutes: 1, channels: ['email'] }], { date: '0001-01-01' }))
      .toMatchObject([{ path: 'reminders[0].before_minutes' }]);
    expect(validateReminders([{ before_minutes: 0, channels: ['email'] }], { date: '0001-01-01' })).toEqual([]);
    expect(validateReminders([{ at: '0000-12-31T23:59:59Z', channels: ['email'] }], null)).toMatchObject([{ path: 'reminders[0].at' }]);
  });
  it('refuses a reminder at an instant in year 10000, however it is spelled', () => {
    expect(validateReminders([{ at: '9999-12-31T23:59:59Z', channels: ['email'] }], null)).toEqual([]);
    expect(validateReminders([{ at: '9999-12-31T23:59:59-00:01', channels: ['email'] }], null)).toMatchObject([{ path: 'reminders[0].at' }]);
  });
  it('leaves a relative reminder against an invalid due to the due\'s own error', () =>
    expect(validateReminders([{ before_minutes: 5, channels: ['email'] }], { datetime: '2026-01-01T09:00', timezone: 'Nowhere/Else' })).toEqual([]));
});

describe('text a store can hold', () => {
  it('is any well-formed Unicode without NUL, astral characters included', () => {
    expect(unstorableText('')).toBeNull();
    expect(unstorableText('\u{1F600} \uFFFF \u0001')).toBeNull();
  });
  it('has no NUL', () => expect(unstorableText('a\u0000b')).toMatch(/NUL/));
  it('has no lone surrogate, high or low, anywhere', () => {
    for (const text of ['\uD800', 'a\uD83D', '\uDE00b', '\uDE00\uD83D', 'x\uD83Dy']) expect(unstorableText(text)).toMatch(/surrogate/);
  });
  it('is required of titles, descriptions and tags', () => {
    expect(validateTitle('a\u0000')).toMatchObject([{ path: 'title' }]);
    expect(validateDescription('\uD800')).toMatchObject([{ path: 'description' }]);
    expect(validateTags(['ok', 'x\u0000'])).toMatchObject([{ path: 'tags[1]' }]);
  });
});
