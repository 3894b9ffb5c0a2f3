import { describe, expect, it } from 'vitest';
import { recentlySet } from './recently-set.ts';

describe('a map of the most recently set entries', () => {
  it('keeps up to its capacity, and past it forgets the entry set longest ago', () => {
    const map = recentlySet<string, number>(2);
    map.set('a', 1);
    map.set('b', 2);
    map.set('c', 3);
    expect([map.get('a'), map.get('b'), map.get('c'), map.size]).toEqual([undefined, 2, 3, 2]);
  });

  it('counts a key set again as the newest, with its new value', () => {
    const map = recentlySet<string, number>(2);
    map.set('a', 1);
    map.set('b', 2);
    map.set('a', 10);
    map.set('c', 3);
    expect([map.get('a'), map.get('b'), map.get('c')]).toEqual([10, undefined, 3]);
  });

  it('does not count a look-up as a use: what was set longest ago goes first, read or not', () => {
    const map = recentlySet<string, number>(2);
    map.set('a', 1);
    map.set('b', 2);
    map.get('a');
    map.set('c', 3);
    expect([map.get('a'), map.get('b')]).toEqual([undefined, 2]);
  });

  it('forgets a deleted key at once', () => {
    const map = recentlySet<string, number>(2);
    map.set('a', 1);
    expect([map.delete('a'), map.get('a'), map.size]).toEqual([true, undefined, 0]);
  });
});
