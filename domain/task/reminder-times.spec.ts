import { describe, expect, it } from 'vitest';
import { reminderTimes } from './reminder-times.ts';

describe('the fire times of reminders', () => {
  it('fires an absolute reminder at its instant, normalised to UTC', () => {
    expect(reminderTimes([{ at: '2026-07-01T09:00:00+02:00', channels: ['email'] }], null)).toEqual([
      { index: 0, fire_at: '2026-07-01T07:00:00.000Z', channels: ['email'], reminder: { at: '2026-07-01T09:00:00+02:00', channels: ['email'] } },
    ]);
  });

  it('fires a relative reminder before the due instant in the due\'s own zone', () => {
    const due = { datetime: '2026-03-29T09:00', timezone: 'Europe/Berlin' }; // the first day of summer time
    const [time] = reminderTimes([{ before_minutes: 30, channels: ['push'] }], due);
    expect(time?.fire_at).toBe('2026-03-29T06:30:00.000Z');
  });

  it('counts a date-only due from 00:00 UTC of its day', () => {
    const [time] = reminderTimes([{ before_minutes: 60, channels: ['email'] }], { date: '2026-12-01' });
    expect(time?.fire_at).toBe('2026-11-30T23:00:00.000Z');
  });

  it('keeps each reminder\'s index in the task\'s list, and gives a relative one without a due no time', () => {
    const times = reminderTimes([
      { before_minutes: 10, channels: ['email'] },
      { at: '2026-01-01T00:00:00Z', channels: ['email', 'push'] },
    ], null);
    expect(times.map((t) => [t.index, t.fire_at, t.channels])).toEqual([[1, '2026-01-01T00:00:00.000Z', ['email', 'push']]]);
  });
});
