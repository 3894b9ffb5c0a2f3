import { describe, expect, it } from 'vitest';
import { cursorCodec, instant, int32, oneOf, safeInteger, uuid } from './cursor.ts';

const codec = cursorCodec(9, { word: oneOf(['a', 'b'] as const), at: instant, id: uuid, version: int32, position: safeInteger });
const sample = { word: 'b', at: '2026-03-01T09:00:00.123Z', id: '0190f0a0-1234-7abc-8def-0123456789ab', version: 7, position: 123_456_789 } as const;

describe('the cursor codec', () => {
  it('gives back what it was given', () => expect(codec.decode(codec.encode(sample))).toEqual(sample));

  it('makes every cursor of a kind the same length, whatever the values', () => {
    const small = codec.encode({ word: 'a', at: '1970-01-01T00:00:00.000Z', id: '00000000-0000-0000-0000-000000000000', version: 0, position: 0 });
    const large = codec.encode({ word: 'b', at: '9999-12-31T23:59:59.999Z', id: 'ffffffff-ffff-ffff-ffff-ffffffffffff', version: 2 ** 31 - 1, position: Number.MAX_SAFE_INTEGER });
    expect(small.length).toBe(large.length);
    expect(small.length).toBe(codec.encode(sample).length);
  });

  it('refuses another kind\'s cursor, a truncated or padded one, and text it did not issue', () => {
    const other = cursorCodec(8, { word: oneOf(['a', 'b'] as const), at: instant, id: uuid, version: int32, position: safeInteger });
    const text = codec.encode(sample);
    for (const forged of [other.encode(sample), text.slice(0, -2), `${text}AA`, 'garbage', '', 'bm90LWEtY3Vyc29y', `${text.slice(0, -1)}!`]) {
      expect(codec.decode(forged), forged).toBeNull();
    }
  });

  it('refuses well-formed bytes that hold no valid value (an unknown word, a version past 2^31 − 1, a position past 2^53)', () => {
    const bytes = Buffer.from(codec.encode(sample), 'base64url');
    const forge = (at: number, value: number) => { const copy = Buffer.from(bytes); copy.writeUInt8(value, at); return copy.toString('base64url'); };
    expect(codec.decode(forge(2, 7))).toBeNull(); // word index 7
    expect(codec.decode(forge(2 + 1 + 8 + 16, 0xff))).toBeNull(); // version's top byte
    expect(codec.decode(forge(2 + 1 + 8 + 16 + 4, 0xff))).toBeNull(); // position's top byte
  });
});
