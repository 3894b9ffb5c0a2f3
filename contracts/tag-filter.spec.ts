import { describe, expect, it } from 'vitest';
import { normaliseTag } from '../domain/task/rules/tags.ts';
import { ListTasksQuery } from './queries.ts';

describe('the ?tag= filter', () => {
  it('spells a tag as stored tags are spelled: trimmed, NFC, lower case', () => {
    const decomposed = ' Cafe\u0301 ';
    const parsed = ListTasksQuery.parse({ tag: [decomposed, 'ÉTÉ'] });
    expect(parsed.tag).toEqual([normaliseTag(decomposed), normaliseTag('ÉTÉ')]);
    expect(parsed.tag?.[0]).toBe('caf\u00e9');
  });
});
