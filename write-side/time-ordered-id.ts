import { pooledRandomBytes } from '../contracts/pooled-random.ts';

let lastMillis = 0;
let sequence = 0;

/**
 * A UUIDv7 (RFC 9562): 48 bits of Unix milliseconds, then random bits, with the version and variant set.
 * Ids minted in time order (event ids, and the ids of tasks created without a client-chosen one) land at
 * the right edge of their unique indexes instead of on a random page, so an append dirties hot index pages
 * rather than cold ones. Within one millisecond a 12-bit counter in
 * `rand_a` keeps the ids of this process increasing (RFC 9562 §6.2, method 1).
 */
export function newTimeOrderedId(now: number = Date.now()): string {
  if (now > lastMillis) {
    lastMillis = now;
    sequence = 0;
  } else if (sequence < 0xfff) {
    sequence += 1;
  } else {
    // 4 096 ids in one millisecond: borrow the next one, as the RFC allows.
    lastMillis += 1;
    sequence = 0;
  }
  const bytes = pooledRandomBytes(16);
  const millis = lastMillis;
  bytes[0] = Math.floor(millis / 2 ** 40) & 0xff;
  bytes[1] = Math.floor(millis / 2 ** 32) & 0xff;
  bytes[2] = (millis >>> 24) & 0xff;
  bytes[3] = (millis >>> 16) & 0xff;
  bytes[4] = (millis >>> 8) & 0xff;
  bytes[5] = millis & 0xff;
  bytes[6] = 0x70 | (sequence >>> 8);
  bytes[7] = sequence & 0xff;
  bytes[8] = 0x80 | ((bytes[8] ?? 0) & 0x3f);
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
