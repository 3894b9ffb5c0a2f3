import { describe, expect, it } from 'vitest';
import type { Due } from '../types.ts';
import { validateDue } from './due.ts';

describe('due', () => {
  it('may be absent', () => expect(validateDue(null)).toEqual([]));
  it('accepts a calendar date', () => expect(validateDue({ date: '2026-02-28' })).toEqual([]));
  it('accepts a leap day', () => expect(validateDue({ date: '2028-02-29' })).toEqual([]));
  it('refuses 2026-02-30', () =>
    expect(validateDue({ date: '2026-02-30' })).toEqual([{ path: 'due.date', message: 'must be a real calendar date YYYY-MM-DD' }]));
  it('refuses a date with a time', () => expect(validateDue({ date: '2026-02-28T09:00' })).toMatchObject([{ path: 'due.date' }]));

  it('accepts a wall-clock time in an IANA zone', () =>
    expect(validateDue({ datetime: '2026-03-29T02:30', timezone: 'Europe/Berlin' })).toEqual([]));
  it('accepts seconds', () => expect(validateDue({ datetime: '2026-03-29T09:00:30', timezone: 'America/New_York' })).toEqual([]));
  it('refuses an invalid zone', () =>
    expect(validateDue({ datetime: '2026-03-29T09:00', timezone: 'Europe/Atlantis' }))
      .toEqual([{ path: 'due.timezone', message: 'must be an IANA time zone such as Europe/Berlin' }]));
  it('refuses an offset in place of a zone', () =>
    expect(validateDue({ datetime: '2026-03-29T09:00', timezone: '+02:00' })).toMatchObject([{ path: 'due.timezone' }]));
  it('refuses a date-time with an offset: the zone decides it', () =>
    expect(validateDue({ datetime: '2026-03-29T09:00+02:00', timezone: 'Europe/Berlin' })).toMatchObject([{ path: 'due.datetime' }]));
  it('refuses an impossible date-time', () =>
    expect(validateDue({ datetime: '2026-02-30T09:00', timezone: 'Europe/Berlin' })).toMatchObject([{ path: 'due.datetime' }]));
  it('reports date-time and zone problems together', () =>
    expect(validateDue({ datetime: 'soon', timezone: 'nowhere' })).toMatchObject([{ path: 'due.datetime' }, { path: 'due.timezone' }]));

  it('refuses a mixture of both forms', () => {
    const mixed = { date: '2026-03-29', datetime: '2026-03-29T09:00', timezone: 'Europe/Berlin' };
    const due: Due = mixed;
    expect(validateDue(due)).toEqual([{ path: 'due', message: 'must be either {date} or {datetime, timezone}, not both' }]);
  });
});
