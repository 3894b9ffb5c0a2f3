import { describe, expect, it } from 'vitest';
import { validateTitle } from './title.ts';

describe('title', () => {
  it('accepts 1 character', () => expect(validateTitle('x')).toEqual([]));
  it('accepts 200 characters', () => expect(validateTitle('x'.repeat(200))).toEqual([]));
  it('refuses 201 characters', () =>
    expect(validateTitle('x'.repeat(201))).toEqual([{ path: 'title', message: 'must be at most 200 characters (got 201)' }]));
  it('judges the length after trimming', () => expect(validateTitle(`  ${'x'.repeat(200)}  `)).toEqual([]));
  it('counts an emoji as one character', () => expect(validateTitle('🥛'.repeat(200))).toEqual([]));
  it.each(['', '   ', '\t\n'])('refuses the blank title %j', (title) =>
    expect(validateTitle(title)).toEqual([{ path: 'title', message: 'must not be blank' }]));
});
