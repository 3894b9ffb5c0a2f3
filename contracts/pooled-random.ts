import { randomBytes } from 'node:crypto';

/** How many random bytes one call to the system's source fetches: 256 ids of 16 bytes. */
const POOL_BYTES = 4096;
let pool = Buffer.alloc(0);
let offset = 0;

/**
 * Cryptographically random bytes, taken from a pool filled 4 KiB at a time (as `crypto.randomUUID` does
 * by default): every create mints ids and a trace, and one system call per id was a measurable share of a
 * request's CPU. The caller owns the copy it gets and may change it.
 */
export function pooledRandomBytes(size: number): Buffer {
  if (size > POOL_BYTES) return randomBytes(size);
  if (offset + size > pool.length) {
    pool = randomBytes(POOL_BYTES);
    offset = 0;
  }
  const bytes = Buffer.from(pool.subarray(offset, offset + size));
  offset += size;
  return bytes;
}
