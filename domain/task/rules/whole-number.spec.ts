import { describe, expect, it } from 'vitest';
import { wholeNumberIn } from './whole-number.ts';

describe('a whole number within bounds', () => {
  const rule = wholeNumberIn(1, 100);
  it('may be absent', () => expect(rule('n', null)).toEqual([]));
  it.each([1, 50, 100])('accepts %d', (value) => expect(rule('n', value)).toEqual([]));
  it.each([0, 101, 1.5, -1, Number.NaN, Number.POSITIVE_INFINITY])('refuses %d', (value) =>
    expect(rule('n', value)).toEqual([{ path: 'n', message: 'must be a whole number from 1 to 100' }]));
});
