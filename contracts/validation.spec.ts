import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { parseInput, unstorableStrings } from './validation.ts';

describe('untrusted input with text no store can hold', () => {
  it('is found in values and keys at any depth, each by its path', () => {
    expect(unstorableStrings({ title: 'a\u0000', tags: ['ok', '\uDC00'], due: { ['k\u0000']: 1 } }, 'body')).toEqual([
      { path: 'body.title', message: 'must not contain the NUL character (U+0000)' },
      { path: 'body.tags[1]', message: 'must be well-formed Unicode (no lone surrogate)' },
      { path: 'body.due', message: 'has a key that must not contain the NUL character (U+0000)' },
    ]);
  });

  it('is refused before any schema, whatever the schema would say', () => {
    expect(parseInput(z.unknown(), { q: 'x\u0000' }, 'query')).toEqual({ ok: false, error: [{ path: 'query.q', message: 'must not contain the NUL character (U+0000)' }] });
  });

  it('leaves well-formed text, astral characters and non-strings alone', () => {
    expect(unstorableStrings({ a: '\u{1F600}\u0001', b: [1, null, true], c: { d: '\uFFFF' } })).toEqual([]);
  });
});
