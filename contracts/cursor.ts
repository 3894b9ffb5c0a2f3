/*
 * The one codec of the opaque paging cursors. A cursor is a fixed binary layout — a format byte, a kind
 * byte, then fixed-width fields — in base64url, so every cursor of a kind has the same length whatever the
 * page ended on (a cursor never carries text: a page ending on a long non-ASCII title gives as short a
 * cursor as any other). The kind byte keeps one endpoint's cursor from being taken for another's. Decoding
 * checks the length, both bytes and every field, and answers null for anything this server did not issue.
 */

import { isInstantInRange } from '../domain/task/rules/instant-range.ts';

const FORMAT = 1;

/** One fixed-width field of a cursor. */
export interface CursorField<T> {
  readonly bytes: number;
  write(buffer: Buffer, offset: number, value: T): void;
  /** The value, or null when the bytes are not one this field writes. */
  read(buffer: Buffer, offset: number): T | null;
}

type FieldValue<F> = F extends CursorField<infer T> ? T : never;
type Values<L> = { readonly [K in keyof L]: FieldValue<L[K]> };

export interface CursorCodec<V> {
  encode(values: V): string;
  decode(text: string): V | null;
}

/** A whole number 0 … 2^53 − 1 (log positions). */
export const safeInteger: CursorField<number> = {
  bytes: 8,
  write: (buffer, offset, value) => { buffer.writeBigUInt64BE(BigInt(value), offset); },
  read: (buffer, offset) => {
    const value = buffer.readBigUInt64BE(offset);
    return value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : null;
  },
};

/** A whole number 0 … 2^31 − 1 (stream versions, indexes: PostgreSQL integers). */
export const int32: CursorField<number> = {
  bytes: 4,
  write: (buffer, offset, value) => { buffer.writeUInt32BE(value, offset); },
  read: (buffer, offset) => {
    const value = buffer.readUInt32BE(offset);
    return value <= 0x7fff_ffff ? value : null;
  },
};

/** An instant with millisecond precision, as an ISO 8601 string; only one a task may name (a store can query). */
export const instant: CursorField<string> = {
  bytes: 8,
  write: (buffer, offset, value) => { buffer.writeBigInt64BE(BigInt(Date.parse(value)), offset); },
  read: (buffer, offset) => {
    const ms = Number(buffer.readBigInt64BE(offset));
    return isInstantInRange(ms) ? new Date(ms).toISOString() : null;
  },
};

const UUID_TEXT = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A UUID, as canonical lower-case text. */
export const uuid: CursorField<string> = {
  bytes: 16,
  write: (buffer, offset, value) => {
    const hex = value.toLowerCase();
    if (!UUID_TEXT.test(hex)) throw new RangeError(`not a uuid: ${value}`);
    buffer.write(hex.replaceAll('-', ''), offset, 16, 'hex');
  },
  read: (buffer, offset) => {
    const hex = buffer.toString('hex', offset, offset + 16);
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  },
};

/** One of a fixed list of words, by its index. */
export function oneOf<T extends string>(values: readonly T[]): CursorField<T> {
  return {
    bytes: 1,
    write: (buffer, offset, value) => { buffer.writeUInt8(values.indexOf(value), offset); },
    read: (buffer, offset) => values[buffer.readUInt8(offset)] ?? null,
  };
}

/**
 * A cursor codec for one endpoint: `kind` is its own byte (unique per endpoint), `layout` its fields in
 * order.
 */
export function cursorCodec<L extends Record<string, CursorField<unknown>>>(kind: number, layout: L): CursorCodec<Values<L>> {
  const fields = Object.entries(layout);
  const length = 2 + fields.reduce((sum, [, field]) => sum + field.bytes, 0);
  return {
    encode(values) {
      const given: Readonly<Record<string, unknown>> = values;
      const buffer = Buffer.alloc(length);
      buffer.writeUInt8(FORMAT, 0);
      buffer.writeUInt8(kind, 1);
      let offset = 2;
      for (const [name, field] of fields) {
        field.write(buffer, offset, given[name]);
        offset += field.bytes;
      }
      return buffer.toString('base64url');
    },
    decode(text) {
      if (!/^[A-Za-z0-9_-]*$/.test(text)) return null;
      const buffer = Buffer.from(text, 'base64url');
      // base64url decoding ignores trailing bits; the round trip makes one text per cursor.
      if (buffer.length !== length || buffer.readUInt8(0) !== FORMAT || buffer.readUInt8(1) !== kind || buffer.toString('base64url') !== text) return null;
      const values: Record<string, unknown> = {};
      let offset = 2;
      for (const [name, field] of fields) {
        const value = field.read(buffer, offset);
        if (value === null) return null;
        values[name] = value;
        offset += field.bytes;
      }
      // Every field of the layout was read above, each by its own field codec.
      return values as Values<L>;
    },
  };
}
