import { describe, expect, it } from 'vitest';
import { jsonEqual } from './json-equal.ts';

describe('jsonEqual', () => {
  it('compares scalars by value', () => {
    expect(jsonEqual('a', 'a')).toBe(true);
    expect(jsonEqual(1, '1')).toBe(false);
    expect(jsonEqual(null, null)).toBe(true);
    expect(jsonEqual(null, {})).toBe(false);
  });
  it('compares arrays in order', () => {
    expect(jsonEqual(['a', 'b'], ['a', 'b'])).toBe(true);
    expect(jsonEqual(['a', 'b'], ['b', 'a'])).toBe(false);
    expect(jsonEqual(['a'], ['a', 'a'])).toBe(false);
    expect(jsonEqual([], {})).toBe(false);
  });
  it('compares objects regardless of key order', () =>
    expect(jsonEqual({ datetime: 'x', timezone: 'y' }, { timezone: 'y', datetime: 'x' })).toBe(true));
  it('treats a key holding undefined as absent, as JSON does', () => {
    expect(jsonEqual({ a: 1, b: undefined }, { a: 1 })).toBe(true);
    expect(jsonEqual({ a: 1 }, { a: 1, b: null })).toBe(false);
  });
  it('compares nested values deeply', () =>
    expect(jsonEqual([{ at: 'x', channels: ['email'] }], [{ channels: ['email'], at: 'x' }])).toBe(true));
});
