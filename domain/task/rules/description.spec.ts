import { describe, expect, it } from 'vitest';
import { validateDescription } from './description.ts';

describe('description', () => {
  it('may be absent', () => expect(validateDescription(null)).toEqual([]));
  it('may be empty', () => expect(validateDescription('')).toEqual([]));
  it('accepts 10 000 characters', () => expect(validateDescription('x'.repeat(10_000))).toEqual([]));
  it('refuses 10 001 characters', () =>
    expect(validateDescription('x'.repeat(10_001))).toEqual([{ path: 'description', message: 'must be at most 10000 characters (got 10001)' }]));
});
