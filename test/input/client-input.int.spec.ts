import { beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type TestSystem } from '../support/test-system.ts';

/*
 * Every input a client controls answers 4xx problem+json with errors[] when it is not one the service can
 * take — never a 500: text no store can hold (NUL, lone surrogates) anywhere, instants outside the span a
 * task may name in any filter, well-formed cursors this server never issued, a token whose subject no
 * store can hold.
 */

let t: TestSystem;
let taskId: string;

beforeAll(async () => {
  t = await startTestSystem();
  const created = await t.call('POST', '/api/tasks', { body: { title: 'mine', due: { date: '2026-06-01' } } });
  taskId = (created.body as { task_id: string }).task_id;
});


const NUL = '\u0000';
const LONE = '\uD800';
/** Percent-encoded; a lone surrogate as the bytes a client would send for it (UTF-8 has no spelling for one). */
const q = (text: string): string => text.split(LONE).map(encodeURIComponent).join('%ED%A0%80');

/** A cursor of the fixed layout (format byte 1, the endpoint's kind byte, its fields), signed by nobody. */
function forgedCursor(kind: number, fields: Buffer): string {
  return Buffer.concat([Buffer.from([1, kind]), fields]).toString('base64url');
}
const u64 = (value: bigint): Buffer => { const b = Buffer.alloc(8); b.writeBigInt64BE(value); return b; };
const u32 = (value: number): Buffer => { const b = Buffer.alloc(4); b.writeUInt32BE(value); return b; };
const someUuid = Buffer.from('0123456789abcdef0123456789abcdef', 'hex');

interface Case { readonly name: string; readonly method: string; readonly path: () => string; readonly body?: () => unknown; readonly headers?: Record<string, string> }

const textCases = (text: string, label: string): Case[] => [
  { name: `title with ${label}`, method: 'POST', path: () => '/api/tasks', body: () => ({ title: `a${text}b` }) },
  { name: `description with ${label}`, method: 'POST', path: () => '/api/tasks', body: () => ({ title: 'x', description: text }) },
  { name: `tag with ${label}`, method: 'POST', path: () => '/api/tasks', body: () => ({ title: 'x', tags: ['ok', text] }) },
  { name: `timezone with ${label}`, method: 'POST', path: () => '/api/tasks', body: () => ({ title: 'x', due: { datetime: '2026-01-01T09:00', timezone: `UTC${text}` } }) },
  { name: `rrule with ${label}`, method: 'POST', path: () => '/api/tasks', body: () => ({ title: 'x', due: { date: '2026-01-01' }, recurrence: { rrule: `FREQ=DAILY${text}` } }) },
  { name: `a key with ${label}`, method: 'POST', path: () => '/api/tasks', body: () => ({ title: 'x', [`k${text}`]: 1 }) },
  { name: `patched title with ${label}`, method: 'PATCH', path: () => `/api/tasks/${taskId}`, body: () => ({ title: text }) },
  { name: `patched tags with ${label}`, method: 'PATCH', path: () => `/api/tasks/${taskId}`, body: () => ({ tags: [text] }) },
  { name: `task id with ${label}`, method: 'GET', path: () => `/api/tasks/${q(`${taskId}${text}`)}` },
  { name: `history id with ${label}`, method: 'GET', path: () => `/api/tasks/${q(text)}/history` },
];

/*
 * Query parameters with a NUL. A lone surrogate has no UTF-8 spelling; the bytes a client might send for one
 * in a query string are kept as the literal escape by the query parser, which is text like any other.
 */
const queryCases: Case[] = [
  { name: 'q with NUL', method: 'GET', path: () => `/api/tasks?q=${q(`a${NUL}`)}` },
  { name: 'tag filter with NUL', method: 'GET', path: () => `/api/tasks?tag=${q(NUL)}` },
  { name: 'audit user_id with NUL', method: 'GET', path: () => `/api/audit?user_id=${q(`bob${NUL}`)}` },
  { name: 'audit task_id with NUL', method: 'GET', path: () => `/api/audit?task_id=${q(`x${NUL}`)}` },
  { name: 'cursor with NUL', method: 'GET', path: () => `/api/notifications?cursor=${q(`abc${NUL}`)}` },
  { name: 'status with NUL', method: 'GET', path: () => `/api/notifications?status=${q(`sent${NUL}`)}` },
  { name: 'due_before with NUL', method: 'GET', path: () => `/api/tasks?due_before=${q(`2026-01-01${NUL}`)}` },
];

const CASES: Case[] = [
  ...textCases(NUL, 'NUL'),
  ...textCases(LONE, 'a lone surrogate'),
  ...queryCases,
  { name: 'due date in year 0', method: 'POST', path: () => '/api/tasks', body: () => ({ title: 'y0', due: { date: '0000-01-01' } }) },
  { name: 'due date overdue in year 10000', method: 'POST', path: () => '/api/tasks', body: () => ({ title: 'y', due: { date: '9999-12-31' } }) },
  { name: 'due date-time in year 10000 UTC', method: 'POST', path: () => '/api/tasks', body: () => ({ title: 'y', due: { datetime: '9999-12-31T22:00', timezone: 'America/New_York' } }) },
  { name: 'reminder before year 1', method: 'POST', path: () => '/api/tasks', body: () => ({ title: 'y', due: { date: '0001-01-01' }, reminders: [{ before_minutes: 60 }] }) },
  { name: 'reminder at year 0', method: 'POST', path: () => '/api/tasks', body: () => ({ title: 'y', reminders: [{ at: '0000-06-01T00:00:00Z' }] }) },
  { name: 'patched due in year 0', method: 'PATCH', path: () => `/api/tasks/${taskId}`, body: () => ({ due: { date: '0000-01-01' } }) },
  { name: 'due_before year 0', method: 'GET', path: () => '/api/tasks?due_before=0000-01-01' },
  { name: 'due_after in year 10000', method: 'GET', path: () => `/api/tasks?due_after=${q('9999-12-31T23:00:00-05:00')}` },
  { name: 'audit from year 0', method: 'GET', path: () => `/api/audit?from=${q('0000-01-01T00:00:00Z')}` },
  { name: 'audit to in year 10000', method: 'GET', path: () => `/api/audit?to=${q('9999-12-31T23:59:59-01:00')}` },
  { name: 'state at year 0', method: 'GET', path: () => `/api/tasks/${taskId}/state?at=${q('0000-01-01T00:00:00Z')}` },
  { name: 'forged task cursor', method: 'GET', path: () => `/api/tasks?cursor=${forgedCursor(4, Buffer.concat([Buffer.from([2, 0]), someUuid, u32(7)]))}` },
  { name: 'forged history cursor past a PostgreSQL integer', method: 'GET', path: () => `/api/tasks/${taskId}/history?cursor=${forgedCursor(1, u32(0xffff_ffff))}` },
  { name: 'forged audit cursor past a safe integer', method: 'GET', path: () => `/api/audit?cursor=${forgedCursor(2, u64(0x20_0000_0000_0000n))}` },
  { name: 'forged notification cursor far in the future', method: 'GET', path: () => `/api/notifications?cursor=${forgedCursor(3, Buffer.concat([u64(8_000_000_000_000_000n), someUuid, u32(0)]))}` },
  { name: 'forged notification cursor before year 1', method: 'GET', path: () => `/api/notifications?cursor=${forgedCursor(3, Buffer.concat([u64(-62_198_755_200_000n), someUuid, u32(0)]))}` },
];

describe('client input the service cannot take', () => {
  it.each(CASES)('answers 4xx problem+json with errors[]: $name', async ({ method, path, body }) => {
    const response = await t.call(method, path(), body === undefined ? {} : { body: body() });
    expect(response.status, response.text).toBeGreaterThanOrEqual(400);
    expect(response.status, response.text).toBeLessThan(500);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    if (response.status === 400) expect((response.body as { errors: unknown[] }).errors.length).toBeGreaterThan(0);
  });

  it('takes a forged but well-formed task cursor for an unknown task as a bad cursor, not a server error', async () => {
    const response = await t.call('GET', `/api/tasks?cursor=${forgedCursor(4, Buffer.concat([Buffer.from([2, 0]), someUuid, u32(1)]))}`);
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ errors: [{ path: 'query.cursor' }] });
  });

  // A position or version is a place in a log: one no page ended on still names a place, and pages on from it.
  it.each([
    ['history', () => `/api/tasks/${taskId}/history?cursor=${forgedCursor(1, u32(0x7fff_ffff))}`],
    ['audit', () => `/api/audit?cursor=${forgedCursor(2, u64(0x1f_ffff_ffff_ffffn))}`],
    ['notifications', () => `/api/notifications?cursor=${forgedCursor(3, Buffer.concat([u64(253_402_300_799_999n), someUuid, u32(0x7fff_ffff)]))}`],
  ])('pages on from a forged %s cursor at the edge of its fields', async (_name, path) => {
    expect((await t.call('GET', path())).status).toBe(200);
  });

  it('lists the occurrences of a series at the end of the span without going past it', async () => {
    const created = await t.call('POST', '/api/tasks', { body: { title: 'last days', due: { date: '9999-12-29' }, recurrence: { rrule: 'FREQ=DAILY' } } });
    expect(created.status, created.text).toBe(201);
    const id = (created.body as { task_id: string }).task_id;
    const occurrences = await t.call('GET', `/api/tasks/${id}/occurrences?count=5`);
    expect(occurrences.status, occurrences.text).toBeLessThan(500);
  });

  it('refuses a validly signed token whose subject holds a NUL with 401 problem+json', async () => {
    const { mintToken } = await import('../../gateways/auth/mint-token.ts');
    const { TEST_SECRET } = await import('../support/test-system.ts');
    for (const userId of [`alice${NUL}`, `alice${LONE}`]) {
      const token = await mintToken({ secret: TEST_SECRET, userId });
      const response = await t.call('GET', '/api/tasks', { user: null, headers: { authorization: `Bearer ${token}` } });
      expect(response.status).toBe(401);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    }
  });

  it('still takes the instants at both ends of the span and astral text', async () => {
    const response = await t.call('POST', '/api/tasks', {
      body: { title: '\u{1F600} edge', tags: ['\u{1D11E}'], due: { date: '9999-12-30' }, reminders: [{ at: '0001-01-01T00:00:00Z' }, { at: '9999-12-31T23:59:59.999Z' }] },
    });
    expect(response.status, response.text).toBe(201);
    for (const path of ['/api/tasks?due_before=0001-01-01', `/api/tasks?due_after=${q('9999-12-31T23:59:59.999Z')}`, `/api/audit?from=${q('0001-01-01T00:00:00Z')}`]) {
      expect((await t.call('GET', path)).status, path).toBe(200);
    }
  });
});
