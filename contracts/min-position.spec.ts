import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { MinPosition } from './queries.ts';

describe('min_position and X-Min-Position as served', () => {
  it('take decimal digits, as the document\'s integer type says', () => {
    expect(z.toJSONSchema(MinPosition, { io: 'input' })).toMatchObject({ type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER });
    expect(['0', '42', String(Number.MAX_SAFE_INTEGER)].map((value) => MinPosition.parse(value))).toEqual([0, 42, Number.MAX_SAFE_INTEGER]);
  });

  it('refuse what is not an integer in the document: empty, exponent, hex, fraction, sign, too large', () => {
    for (const value of ['', ' ', '1e2', '0x1', '1.0', '-0', '+1', '9007199254740992']) expect([value, MinPosition.safeParse(value).success]).toEqual([value, false]);
  });
});
