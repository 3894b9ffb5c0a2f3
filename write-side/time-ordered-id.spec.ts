import { describe, expect, it } from 'vitest';
import { newTimeOrderedId } from './time-ordered-id.ts';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('time-ordered ids (events, server-minted tasks)', () => {
  it('are UUIDv7 carrying the millisecond they were minted in', () => {
    const at = Date.UTC(2026, 10, 27, 10, 0, 0, 123);
    const id = newTimeOrderedId(at + 10_000_000);
    expect(id).toMatch(UUID_V7);
    expect(Number.parseInt(id.replaceAll('-', '').slice(0, 12), 16)).toBe(at + 10_000_000);
  });

  it('increase within one process, also many within one millisecond, and never repeat', () => {
    const at = Date.now() + 20_000_000;
    const ids = Array.from({ length: 10_000 }, () => newTimeOrderedId(at));
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(UUID_V7);
  });
});
