import { describe, expect, it } from 'vitest';
import { pooledRandomBytes } from './pooled-random.ts';

describe('random bytes from a pool', () => {
  it('gives bytes of the asked size that differ from call to call, across refills of the pool', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 1000; i++) {
      const bytes = pooledRandomBytes(16);
      expect(bytes).toHaveLength(16);
      seen.add(bytes.toString('hex'));
    }
    expect(seen.size).toBe(1000);
    expect(pooledRandomBytes(5000)).toHaveLength(5000);
  });

  it('gives the caller its own copy: changing it changes nothing handed out later', () => {
    const first = pooledRandomBytes(16);
    first.fill(0);
    expect(pooledRandomBytes(16).equals(Buffer.alloc(16))).toBe(false);
  });
});
