import { describe, expect, it } from 'vitest';
import { scrapeRead, sharedWhileRunning } from './scrape-read.ts';

describe('reads at scrape time', () => {
  it('share one read among the gauges that ask while it runs, and read afresh for the next scrape', async () => {
    let reads = 0;
    const shared = sharedWhileRunning(async () => { reads += 1; return reads; });
    expect(await Promise.all([shared(), shared(), shared()])).toEqual([1, 1, 1]);
    expect(await shared()).toBe(2);
  });

  it('answer null for a read that fails, rather than failing the scrape', async () => {
    expect(await scrapeRead(() => Promise.reject(new Error('database down')))).toBeNull();
  });
});
