import { beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../contracts/audit.ts';
import { foldWholeStream } from '../../contracts/events/fold-task-stream.ts';
import type { NotificationPage } from '../../contracts/notifications.ts';
import type { TaskView } from '../../contracts/task.ts';
import { listDeadLetters } from '../../projections/runtime/dead-letters.sql.ts';
import { EDITABLE_FIELDS, fieldsOf, normaliseFields, validateFields, withEmptyFields } from '../../domain/task/fields.ts';
import {
  EARLIEST_INSTANT, LATEST_INSTANT, MAX_BEFORE_MINUTES, MAX_DESCRIPTION_LENGTH, MAX_ESTIMATE_MINUTES, MAX_REMINDERS, MAX_TAG_LENGTH, MAX_TAGS,
  MAX_TITLE_LENGTH,
} from '../../domain/task/limits.ts';
import { reminderTimes } from '../../domain/task/reminder-times.ts';
import { ANCHORS, CHANNELS, PRIORITIES, type Channel, type Due, type Reminder, type TaskFields } from '../../domain/task/types.ts';
import { civilFromEpochDay, epochDay } from '../../domain/time/calendar.ts';
import { formatDate, formatInstant, formatLocalDateTime, parseInstant } from '../../domain/time/iso-strings.ts';
import { startTestSystem, type TestSystem } from '../support/test-system.ts';
import { seededRandom } from '../support/seeded-random.ts';

/*
 * Every value the write side accepts, every projector stores faithfully: tasks with values drawn across
 * each field's whole accepted range (the ends of the span of instants, the longest texts, astral
 * characters, every priority, channel and anchor, the most reminders and tags) are created and patched
 * through the API, and the task-view row, the audit entries and the reminder schedule each equal what the
 * domain folds from the stream — with no dead letter. Seeded, so a failure repeats.
 */

const SEED = 20261203;
const random = seededRandom(SEED);
const int = (min: number, max: number): number => min + Math.floor(random() * (max - min + 1));
const pick = <T>(items: readonly T[]): T => items[int(0, items.length - 1)] as T;
const chance = (p: number): boolean => random() < p;
/** Mostly an end of the range or next to it, otherwise anywhere in it: edges are where stores disagree. */
const edgy = (min: number, max: number): number => (chance(0.5) ? pick([min, min + 1, max - 1, max]) : int(min, max));

const EARLIEST = parseInstant(EARLIEST_INSTANT) ?? 0;
const LATEST = parseInstant(LATEST_INSTANT) ?? 0;
const DAY = 86_400_000;
const USER = 'prop-store';

// Every kind of code point a client may send: ASCII, Latin, CJK, combining marks, controls other than
// NUL, private use, noncharacters and astral characters (two UTF-16 units each).
const ALPHABET = [
  ...'abcXYZ019 -_.,;:!?"\'\\/<>&%$#@'.split(''), 'é', 'ß', 'İ', 'ﬃ', '中', '文', 'ё', '\u0301', '\u200d', '\t', '\n', '\u0001', '\u001f', '\u007f',
  '\uE000', '\uFFFE', '\uFFFF', '\u{1F600}', '\u{1F468}\u200D\u{1F469}', '\u{10FFFF}', '\u{1D11E}', '\u{20000}',
];
function text(maxCodePoints: number): string {
  const length = edgy(1, maxCodePoints);
  let out = '';
  for (let i = 0; [...out].length < length && i < length; i++) out += pick(ALPHABET);
  return [...out].slice(0, length).join('');
}

const ZONES = ['UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Tokyo', 'Pacific/Kiritimati', 'Pacific/Pago_Pago', 'Asia/Kathmandu', 'Australia/Lord_Howe'];

function randomDue(): Due {
  const day = civilFromEpochDay(Math.floor(edgy(EARLIEST, LATEST) / DAY));
  if (chance(0.5)) return { date: formatDate(day) };
  const wall = { ...day, hour: edgy(0, 23), minute: edgy(0, 59), second: chance(0.5) ? edgy(0, 59) : 0 };
  const datetime = formatLocalDateTime(wall);
  return { datetime: chance(0.5) ? datetime : datetime.slice(0, 16), timezone: pick(ZONES) };
}

/** A non-empty set of channels, in a random order. */
function channels(): Channel[] {
  const on = CHANNELS.filter(() => chance(0.5));
  const some = on.length > 0 ? on : [pick(CHANNELS)];
  return chance(0.5) ? some : [...some].reverse();
}

function randomReminder(): Reminder {
  const picked = channels();
  if (chance(0.5)) return { before_minutes: edgy(0, MAX_BEFORE_MINUTES), channels: picked };
  const at = formatInstant(edgy(EARLIEST, LATEST));
  // An offset spelling of the same instant, where it stays within four-digit years.
  return { at: chance(0.3) ? at : at.replace(/\.\d{3}Z$/, 'Z'), channels: picked };
}

const RRULES = ['FREQ=DAILY', 'FREQ=WEEKLY;BYDAY=MO,WE,FR', 'FREQ=MONTHLY;BYMONTHDAY=-1', 'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29', 'FREQ=DAILY;INTERVAL=3;COUNT=5', 'FREQ=WEEKLY;UNTIL=99991230'];

function randomFields(): Omit<TaskFields, 'title'> & { title: string } {
  const due = chance(0.8) ? randomDue() : null;
  return {
    title: chance(0.2) ? `  ${text(MAX_TITLE_LENGTH - 4)}  ` : text(MAX_TITLE_LENGTH),
    description: chance(0.3) ? null : text(chance(0.2) ? MAX_DESCRIPTION_LENGTH : 300),
    priority: pick(PRIORITIES),
    tags: Array.from({ length: edgy(0, MAX_TAGS) }, (_, i) => `${i}${text(MAX_TAG_LENGTH - 2)}`),
    due,
    reminders: Array.from({ length: chance(0.3) ? MAX_REMINDERS : int(0, 3) }, randomReminder),
    recurrence: due !== null && chance(0.3) ? { rrule: pick(RRULES), anchor: pick(ANCHORS) } : null,
    estimate_minutes: chance(0.3) ? null : edgy(1, MAX_ESTIMATE_MINUTES),
  };
}

/** Drops what the domain would refuse (a reminder out of the span, a tag colliding after normalising…), until it accepts. */
function accepted(fields: TaskFields): TaskFields {
  let candidate = fields;
  for (let round = 0; round < 6 && validateFields(candidate).length > 0; round++) {
    const paths = validateFields(candidate).map((error) => error.path);
    const indexes = (field: string) => new Set(paths.flatMap((path) => new RegExp(`^${field}\\[(\\d+)\\]`).exec(path)?.[1] ?? []).map(Number));
    const badReminders = indexes('reminders');
    const badTags = indexes('tags');
    candidate = {
      ...candidate,
      reminders: candidate.reminders.filter((_, index) => !badReminders.has(index)),
      // A due past an end of the span becomes that end's last accepted day; the next round judges reminders against it.
      ...(paths.some((path) => path.startsWith('due')) ? { due: { date: pick(['0001-01-01', '9999-12-30']) } } : {}),
      ...(paths.some((path) => path.startsWith('recurrence')) ? { recurrence: null } : {}),
      tags: candidate.tags.filter((_, index) => !badTags.has(index)).slice(0, paths.includes('tags') ? MAX_TAGS : undefined),
      ...(paths.some((path) => path.startsWith('title')) ? { title: 'title' } : {}),
    };
  }
  expect(validateFields(candidate)).toEqual([]);
  return candidate;
}

/** Reminders firing near now would be sent or missed while the test runs; the schedule is compared at rest. */
const nearNow = (fields: TaskFields): boolean =>
  reminderTimes(fields.reminders, fields.due).some((time) => Math.abs(Date.parse(time.fire_at) - Date.now()) < 2 * DAY);

let t: TestSystem;
let position = 0;
const taskIds: string[] = [];

async function send(method: string, path: string, body: unknown): Promise<void> {
  const response = await t.call(method, path, { user: USER, ...(body === undefined ? {} : { body }) });
  expect(response.status, `${method} ${path} ${JSON.stringify(body ?? null).slice(0, 500)}: ${response.text.slice(0, 1000)}`).toBeLessThan(300);
  position = Math.max(position, (response.body as { position: number }).position);
}

beforeAll(async () => {
  t = await startTestSystem();
  for (let i = 0; i < 40; i++) {
    let fields = accepted(withEmptyFields(randomFields()));
    if (nearNow(fields)) fields = { ...fields, reminders: [] };
    const created = await t.call('POST', '/api/tasks', { user: USER, body: fields });
    expect(created.status, `${JSON.stringify(fields).slice(0, 800)}: ${created.text.slice(0, 1000)}`).toBe(201);
    const answer = created.body as { task_id: string; position: number };
    taskIds.push(answer.task_id);
    position = Math.max(position, answer.position);
    if (chance(0.6)) {
      const next = randomFields();
      const touched = EDITABLE_FIELDS.filter(() => chance(0.4));
      let patched = accepted({ ...fields, ...Object.fromEntries(touched.map((field) => [field, next[field]])) });
      if (nearNow(patched)) patched = { ...patched, reminders: [] };
      const changes = Object.fromEntries(EDITABLE_FIELDS.filter((field) => JSON.stringify(patched[field]) !== JSON.stringify(fields[field])).map((field) => [field, patched[field]]));
      await send('PATCH', `/api/tasks/${answer.task_id}`, changes);
    }
    if (chance(0.15)) await send('POST', `/api/tasks/${answer.task_id}/complete`, undefined);
  }
}, 120_000);

async function allPages<T>(path: (cursor: string | null) => string): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | null = null;
  do {
    const response = await t.call('GET', path(cursor), { user: USER });
    expect(response.status, response.text).toBe(200);
    const page = response.body as { items: T[]; next_cursor: string | null };
    items.push(...page.items);
    cursor = page.next_cursor;
  } while (cursor !== null);
  return items;
}

describe('every value the write side accepts is stored faithfully by every projector', () => {
  it('task-view: each task reads back as the domain folds it', async () => {
    for (const id of taskIds) {
      const state = foldWholeStream(await t.system.store.readStream(id));
      if (state.kind !== 'present') throw new Error(`task ${id} has no state`);
      const response = await t.call('GET', `/api/tasks/${id}?min_position=${position}`, { user: USER });
      expect(response.status, response.text).toBe(200);
      const view = response.body as TaskView;
      expect(view).toMatchObject({ ...normaliseFields(fieldsOf(state.task)), version: state.task.version, status: state.task.status });
    }
  });

  it('task-view: every task is found by its due, at the ends of the span too', async () => {
    const listed = await allPages<TaskView>((cursor) => `/api/tasks?sort=due&limit=200&min_position=${position}${cursor ? `&cursor=${cursor}` : ''}`);
    expect(listed.map((task) => task.id).sort()).toEqual([...taskIds].sort());
    const filtered = await allPages<TaskView>((cursor) => `/api/tasks?due_after=0001-01-01&due_before=${encodeURIComponent(LATEST_INSTANT)}&limit=200${cursor ? `&cursor=${cursor}` : ''}`);
    expect(filtered.every((task) => task.due !== null)).toBe(true);
  });

  it('audit: each event\'s entry carries the fields the event set', async () => {
    for (const id of taskIds) {
      const events = await t.system.store.readStream(id);
      const entries = await allPages<AuditEntry>((cursor) => `/api/audit?task_id=${id}&limit=200&min_position=${position}${cursor ? `&cursor=${cursor}` : ''}`);
      expect(entries.map((entry) => entry.event_id).sort()).toEqual(events.map((event) => event.event_id).sort());
      for (const [index, event] of events.entries()) {
        const folded = foldWholeStream(events.slice(0, index + 1));
        if (folded.kind !== 'present') continue;
        const entry = entries.find((candidate) => candidate.event_id === event.event_id);
        const fields = fieldsOf(folded.task);
        const reported = Object.fromEntries(Object.entries(entry?.after ?? {}).filter(([key]) => (EDITABLE_FIELDS as readonly string[]).includes(key)));
        expect(reported).toEqual(Object.fromEntries(Object.keys(reported).map((key) => [key, fields[key as keyof TaskFields]])));
      }
    }
    expect((await t.call('GET', `/api/audit?limit=1&min_position=${position}`, { user: USER })).status).toBe(200);
  });

  it('notification: each open task\'s armed reminders are its fire times to come', async () => {
    const listed = await allPages<NotificationPage['items'][number]>((cursor) => `/api/notifications?limit=200&min_position=${position}${cursor ? `&cursor=${cursor}` : ''}`);
    for (const id of taskIds) {
      const state = foldWholeStream(await t.system.store.readStream(id));
      if (state.kind !== 'present') continue;
      const live = state.task.status === 'open' && state.task.deleted_at === null;
      const wanted = live ? reminderTimes(state.task.reminders, state.task.due).filter((time) => Date.parse(time.fire_at) > Date.now()) : [];
      const pending = listed.filter((item) => item.task_id === id && item.status === 'pending');
      expect(pending.map((item) => [item.reminder_index, item.fire_at, item.reminder]).sort())
        .toEqual(wanted.map((time) => [time.index, time.fire_at, time.reminder]).sort());
    }
  });

  it('leaves no dead letter in any projector', async () => {
    expect(await listDeadLetters(t.system.database.db)).toEqual([]);
  });
});

// The generator's own reach, so a narrowing of it shows: dates at both ends of the span were drawn.
describe('the generator', () => {
  it('draws days across the whole span', () => {
    expect(epochDay(civilFromEpochDay(Math.floor(EARLIEST / DAY)))).toBe(Math.floor(EARLIEST / DAY));
    expect(formatDate(civilFromEpochDay(Math.floor(LATEST / DAY)))).toBe('9999-12-31');
  });
});
