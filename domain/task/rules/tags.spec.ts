import { describe, expect, it } from 'vitest';
import { normaliseTags, validateTags } from './tags.ts';

const tags = (count: number): string[] => Array.from({ length: count }, (_, index) => `tag-${index}`);

describe('normaliseTags', () => {
  it('trims and lower-cases', () => expect(normaliseTags(['  Work ', 'HOME'])).toEqual(['work', 'home']));
  it('drops duplicates after normalising, keeping the first-seen order', () =>
    expect(normaliseTags(['b', 'A', ' a', 'B ', 'c'])).toEqual(['b', 'a', 'c']));
  it('treats composed and decomposed accents as one tag', () =>
    expect(normaliseTags(['caf\u00e9', 'cafe\u0301'])).toEqual(['caf\u00e9']));
  it('leaves an empty list empty', () => expect(normaliseTags([])).toEqual([]));
});

describe('tags', () => {
  it('accepts 20 tags', () => expect(validateTags(tags(20))).toEqual([]));
  it('refuses 21 tags', () =>
    expect(validateTags(tags(21))).toEqual([{ path: 'tags', message: 'must hold at most 20 distinct tags (got 21)' }]));
  it('counts after duplicates collapse: 25 tags that are 20 distinct are fine', () =>
    expect(validateTags([...tags(20), 'TAG-0', ' tag-1', 'Tag-2 ', 'tag-3', 'tag-4'])).toEqual([]));
  it('accepts a tag of 50 characters', () => expect(validateTags(['x'.repeat(50)])).toEqual([]));
  it('judges length after trimming', () => expect(validateTags([`  ${'x'.repeat(50)}  `])).toEqual([]));
  it('refuses a tag of 51 characters, pointing at it as sent', () =>
    expect(validateTags(['ok', 'x'.repeat(51)])).toEqual([{ path: 'tags[1]', message: 'must be at most 50 characters (got 51)' }]));
  it('refuses blank tags', () =>
    expect(validateTags(['ok', '', '  '])).toEqual([
      { path: 'tags[1]', message: 'must not be blank' },
      { path: 'tags[2]', message: 'must not be blank' },
    ]));
});
