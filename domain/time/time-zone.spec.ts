import { describe, expect, it } from 'vitest';
import { instantToZoned, isValidTimeZone, zonedToInstant } from './time-zone.ts';

describe('isValidTimeZone', () => {
  it.each(['Europe/Berlin', 'America/New_York', 'UTC', 'Asia/Kolkata', 'US/Eastern', 'Etc/GMT+5'])('accepts the IANA zone %s', (zone) =>
    expect(isValidTimeZone(zone)).toBe(true));

  it.each(['Mars/Olympus_Mons', '', 'Europe/Berlin ', '+01:00', '-05:00', 'Z', 'CET+1'])('refuses %j', (zone) =>
    expect(isValidTimeZone(zone)).toBe(false));
});

describe('zonedToInstant in Europe/Berlin (CET +01:00, CEST +02:00)', () => {
  it.each([
    ['2026-01-15T09:00', '2026-01-15T08:00:00.000Z', 'winter time'],
    ['2026-07-15T09:00', '2026-07-15T07:00:00.000Z', 'summer time'],
    ['2026-03-29T01:59', '2026-03-29T00:59:00.000Z', 'the last minute before spring-forward'],
    ['2026-03-29T02:00', '2026-03-29T01:00:00.000Z', 'the start of the gap, which is 03:00 CEST'],
    ['2026-03-29T02:30', '2026-03-29T01:30:00.000Z', 'inside the gap, moved forward by an hour to 03:30 CEST'],
    ['2026-03-29T03:00', '2026-03-29T01:00:00.000Z', 'the first minute after the gap'],
    ['2026-10-25T01:59', '2026-10-24T23:59:00.000Z', 'before fall-back'],
    ['2026-10-25T02:00', '2026-10-25T00:00:00.000Z', 'the repeated hour, earlier (CEST) instant'],
    ['2026-10-25T02:30:15', '2026-10-25T00:30:15.000Z', 'the repeated hour with seconds, earlier instant'],
    ['2026-10-25T03:00', '2026-10-25T02:00:00.000Z', 'after fall-back'],
  ])('%s is %s (%s)', (local, instant) => expect(zonedToInstant(local, 'Europe/Berlin')).toBe(instant));
});

describe('zonedToInstant in America/New_York (EST -05:00, EDT -04:00)', () => {
  it.each([
    ['2026-03-08T01:59', '2026-03-08T06:59:00.000Z', 'the last minute before spring-forward'],
    ['2026-03-08T02:00', '2026-03-08T07:00:00.000Z', 'the start of the gap, which is 03:00 EDT'],
    ['2026-03-08T02:30', '2026-03-08T07:30:00.000Z', 'inside the gap, moved forward to 03:30 EDT'],
    ['2026-03-08T03:00', '2026-03-08T07:00:00.000Z', 'the first minute after the gap'],
    ['2026-11-01T00:59', '2026-11-01T04:59:00.000Z', 'before fall-back'],
    ['2026-11-01T01:00', '2026-11-01T05:00:00.000Z', 'the repeated hour, earlier (EDT) instant'],
    ['2026-11-01T01:30', '2026-11-01T05:30:00.000Z', 'the repeated hour, earlier (EDT) instant'],
    ['2026-11-01T02:00', '2026-11-01T07:00:00.000Z', 'after fall-back'],
    ['2024-02-29T23:59:59', '2024-03-01T04:59:59.000Z', 'a leap day crossing into the next UTC day'],
  ])('%s is %s (%s)', (local, instant) => expect(zonedToInstant(local, 'America/New_York')).toBe(instant));
});

describe('zonedToInstant elsewhere', () => {
  it('moves a reading in a whole skipped day forward by the day (Samoa skipped 2011-12-30)', () =>
    expect(instantToZoned(zonedToInstant('2011-12-30T12:00', 'Pacific/Apia'), 'Pacific/Apia')).toBe('2011-12-31T12:00:00'));

  it('moves a reading in a half-hour gap forward by half an hour (Lord Howe Island, 02:00 → 02:30)', () => {
    expect(zonedToInstant('2026-10-04T02:15', 'Australia/Lord_Howe')).toBe('2026-10-03T15:45:00.000Z');
    expect(instantToZoned('2026-10-03T15:45:00Z', 'Australia/Lord_Howe')).toBe('2026-10-04T02:45:00');
  });

  it('is plain arithmetic in UTC', () => expect(zonedToInstant('2026-03-29T02:30', 'UTC')).toBe('2026-03-29T02:30:00.000Z'));

  it.each([
    ['2026-02-30T09:00', 'Europe/Berlin'],
    ['2026-03-29T24:00', 'Europe/Berlin'],
    ['2026-03-29T09:00', 'Nowhere/City'],
  ])('refuses %s in %s with a RangeError', (local, zone) => expect(() => zonedToInstant(local, zone)).toThrow(RangeError));
});

describe('instantToZoned', () => {
  it.each([
    ['2026-03-29T00:59:59Z', 'Europe/Berlin', '2026-03-29T01:59:59'],
    ['2026-03-29T01:00:00Z', 'Europe/Berlin', '2026-03-29T03:00:00'],
    ['2026-10-25T00:30:00Z', 'Europe/Berlin', '2026-10-25T02:30:00'],
    ['2026-10-25T01:30:00Z', 'Europe/Berlin', '2026-10-25T02:30:00'],
    ['2026-03-08T06:59:00Z', 'America/New_York', '2026-03-08T01:59:00'],
    ['2026-03-08T07:00:00Z', 'America/New_York', '2026-03-08T03:00:00'],
    ['2026-11-01T05:30:00Z', 'America/New_York', '2026-11-01T01:30:00'],
    ['2026-11-01T06:30:00Z', 'America/New_York', '2026-11-01T01:30:00'],
    ['2026-07-01T12:00:00+02:00', 'America/New_York', '2026-07-01T06:00:00'],
    ['2026-07-01T10:00:00.999Z', 'Europe/Berlin', '2026-07-01T12:00:00'],
    ['2027-01-01T04:30:00Z', 'America/New_York', '2026-12-31T23:30:00'],
  ])('%s in %s reads %s', (instant, zone, local) => expect(instantToZoned(instant, zone)).toBe(local));

  it('refuses an instant without offset', () => expect(() => instantToZoned('2026-07-01T10:00:00', 'UTC')).toThrow(RangeError));

  // offsetAt remembers offsets at UTC midnights; this walks whole years against Intl's own clock reading.
  it.each([['Europe/Berlin', 2026], ['America/New_York', 2026], ['Australia/Lord_Howe', 2026], ['Pacific/Apia', 2011], ['Asia/Kolkata', 2026]] as const)(
    'finds the instant of every reading %s showed every 75 minutes of %i', (zone, year) => {
      {
        for (let t = Date.UTC(year, 0, 1); t < Date.UTC(year + 1, 0, 1); t += 75 * 60_000) {
          const reading = instantToZoned(new Date(t).toISOString(), zone);
          const found = Date.parse(zonedToInstant(reading, zone));
          expect(instantToZoned(new Date(found).toISOString(), zone)).toBe(reading);
          // A reading the fall-back repeats means its earlier instant, at most one hour before.
          expect(t - found).toBeGreaterThanOrEqual(0);
          expect(t - found).toBeLessThanOrEqual(60 * 60_000);
        }
      }
    },
  );

  it('round-trips every quarter hour of both DST days, except readings inside the gap', () => {
    for (const [day, zone, gapHour] of [['2026-03-29', 'Europe/Berlin', 2], ['2026-03-08', 'America/New_York', 2]] as const) {
      for (let minutes = 0; minutes < 24 * 60; minutes += 15) {
        const hour = Math.floor(minutes / 60);
        const local = `${day}T${String(hour).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}:00`;
        const expected = hour === gapHour ? `${day}T${String(hour + 1).padStart(2, '0')}:${local.slice(14)}` : local;
        expect(instantToZoned(zonedToInstant(local, zone), zone)).toBe(expected);
      }
    }
  });
});
