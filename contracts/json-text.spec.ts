import { describe, expect, it } from 'vitest';
import { jsonArray, jsonObject, jsonText } from './json-text.ts';

describe('JSON text put together from JSON texts', () => {
  it('is the text JSON.stringify writes for the same value', () => {
    const items = [{ id: 'a', n: 1, tags: ['x'] }, { id: 'b "quoted"', n: null, tags: [] }];
    const page = { items, next_cursor: 'c' };
    expect(jsonObject<typeof page>({ items: jsonArray(items.map((item) => jsonText(item))), next_cursor: jsonText('c') })).toBe(JSON.stringify(page));
  });

  it('writes an empty array, null and the members in the order given', () => {
    type Page = { items: number[]; next_cursor: string | null };
    expect(jsonObject<Page>({ items: jsonArray<number>([]), next_cursor: jsonText(null) })).toBe('{"items":[],"next_cursor":null}');
  });
});
