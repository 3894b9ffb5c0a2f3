import { cursorCodec, safeInteger } from '../../contracts/cursor.ts';

// A page ends at a log position; entries are only appended and each has its own position, so "before
// position P" never repeats one.
const codec = cursorCodec(2, { before_position: safeInteger });

export function encodeAuditCursor(beforePosition: number): string {
  return codec.encode({ before_position: beforePosition });
}

/** The position a page starts below, or null for text this server did not issue. */
export function decodeAuditCursor(text: string): number | null {
  const cursor = codec.decode(text);
  return cursor && cursor.before_position >= 1 ? cursor.before_position : null;
}
