/**
 * Conversions between instants and wall-clock readings in IANA time zones, using only the zone database
 * built into the runtime (Intl). Due dates are stored as wall time plus zone, so "09:00 in Berlin" stays
 * 09:00 across DST switches; these functions find the instant such a reading means.
 */
import { MILLIS_PER_DAY, wallClockMillis } from './calendar.ts';
import type { CivilDateTime } from './calendar.ts';
import { formatInstant, formatLocalDateTime, parseInstant, parseLocalDateTime } from './iso-strings.ts';

// Building a DateTimeFormat is far slower than using one. Names are case-insensitive, so callers could
// spell one zone countless ways: the bound keeps the cache from growing with hostile input.
const formatters = new Map<string, Intl.DateTimeFormat>();
const MAX_CACHED_FORMATTERS = 1024;

// One change converts its task's due several times (validation, the task list's row, the reminder schedule,
// each in its own reader): the latest conversions are remembered, bounded like the formatters.
const instants = new Map<string, string>();
const MAX_REMEMBERED_INSTANTS = 4096;

/**
 * An IANA zone name the runtime knows (links such as `US/Eastern` included). Fixed offsets such as
 * `+01:00`, which Intl also accepts, are refused: an offset is not a zone and has no DST rules.
 */
export function isValidTimeZone(zone: string): boolean {
  if (!/^[A-Za-z]/.test(zone)) return false;
  try {
    formatterFor(zone);
    return true;
  } catch {
    return false;
  }
}

/**
 * The UTC instant (`YYYY-MM-DDTHH:MM:SS.sssZ`) at which the wall clocks of `zone` show `localDateTime`.
 * A reading skipped by a DST gap moves forward by the length of the gap (02:30 on a spring-forward day in
 * New York is 03:30 EDT); a reading repeated by a fall-back takes the earlier instant. These are RFC 5545
 * §3.3.5's rules and Temporal's `compatible` disambiguation.
 * Throws RangeError on an invalid date-time or zone: callers validate user input before converting.
 */
export function zonedToInstant(localDateTime: string, zone: string): string {
  const key = `${zone} ${localDateTime}`;
  const remembered = instants.get(key);
  if (remembered !== undefined) return remembered;
  const local = parseLocalDateTime(localDateTime);
  if (!local) throw new RangeError(`not a local date-time: ${localDateTime}`);
  const instant = formatInstant(zonedToEpochMillis(local, requireZone(zone)));
  if (instants.size >= MAX_REMEMBERED_INSTANTS) instants.clear();
  instants.set(key, instant);
  return instant;
}

/** The wall-clock reading (`YYYY-MM-DDTHH:MM:SS`) in `zone` at an RFC 3339 instant. Throws like `zonedToInstant`. */
export function instantToZoned(instantIso: string, zone: string): string {
  const epochMillis = parseInstant(instantIso);
  if (epochMillis === null) throw new RangeError(`not an instant: ${instantIso}`);
  return formatLocalDateTime(epochMillisToZoned(epochMillis, requireZone(zone)));
}

export function zonedToEpochMillis(local: CivilDateTime, zone: string): number {
  const wall = wallClockMillis(local);
  // Zones change offset at most once in any two days, so the offsets a day either side are the only
  // candidates; a candidate is real when the zone's offset at that instant is the one assumed.
  const offsetBefore = offsetAt(wall - MILLIS_PER_DAY, zone);
  const offsetAfter = offsetAt(wall + MILLIS_PER_DAY, zone);
  // The same offset on both sides means no change in between (at most one per two days), so the reading
  // is unambiguous: the common case, and it needs no further look-ups.
  if (offsetBefore === offsetAfter) return wall - offsetBefore;
  const real = [offsetBefore, offsetAfter]
    .map((offset) => wall - offset)
    .filter((instant) => offsetAt(instant, zone) === wall - instant);
  if (real.length > 0) return Math.min(...real);
  // In a gap: read the clock with the offset in force before it, which lands past the gap.
  return wall - offsetBefore;
}

export function epochMillisToZoned(epochMillis: number, zone: string): CivilDateTime {
  const parts = formatterFor(zone).formatToParts(epochMillis);
  const part = (type: Intl.DateTimeFormatPartTypes): number => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const era = parts.find((p) => p.type === 'era')?.value;
  const year = era === 'BC' ? 1 - part('year') : part('year');
  return { year, month: part('month'), day: part('day'), hour: part('hour'), minute: part('minute'), second: part('second') };
}

/**
 * The zone's UTC offset in milliseconds at an instant (positive east of Greenwich). Asking Intl costs
 * microseconds (a projection rebuild converts hundreds of thousands of dues), so the offsets at UTC
 * midnights are kept: a day that begins and ends on one offset has that offset throughout, because a zone
 * changes its offset at most once in any two days (as zonedToEpochMillis assumes).
 */
function offsetAt(epochMillis: number, zone: string): number {
  const midnight = Math.floor(epochMillis / MILLIS_PER_DAY) * MILLIS_PER_DAY;
  const atStart = midnightOffset(midnight, zone);
  return atStart === midnightOffset(midnight + MILLIS_PER_DAY, zone) ? atStart : offsetFromIntl(epochMillis, zone);
}

// Bounded like the formatters: a day number per zone is small, but input picks the days.
const midnightOffsets = new Map<string, Map<number, number>>();
let cachedMidnights = 0;
const MAX_CACHED_MIDNIGHTS = 100_000;

function midnightOffset(midnight: number, zone: string): number {
  let offsets = midnightOffsets.get(zone);
  const cached = offsets?.get(midnight);
  if (cached !== undefined) return cached;
  const offset = offsetFromIntl(midnight, zone);
  if (cachedMidnights >= MAX_CACHED_MIDNIGHTS) {
    midnightOffsets.clear();
    cachedMidnights = 0;
    offsets = undefined;
  }
  if (!offsets) {
    offsets = new Map();
    midnightOffsets.set(zone, offsets);
  }
  offsets.set(midnight, offset);
  cachedMidnights += 1;
  return offset;
}

function offsetFromIntl(epochMillis: number, zone: string): number {
  const wholeSecond = Math.floor(epochMillis / 1000) * 1000;
  return wallClockMillis(epochMillisToZoned(wholeSecond, zone)) - wholeSecond;
}

function requireZone(zone: string): string {
  if (!isValidTimeZone(zone)) throw new RangeError(`not an IANA time zone: ${zone}`);
  return zone;
}

function formatterFor(zone: string): Intl.DateTimeFormat {
  const cached = formatters.get(zone);
  if (cached) return cached;
  const formatter = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    era: 'short',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  });
  if (formatters.size >= MAX_CACHED_FORMATTERS) formatters.clear();
  formatters.set(zone, formatter);
  return formatter;
}
