import { cursorCodec, int32 } from '../../contracts/cursor.ts';

// A page ends at a version; events are immutable and only appended, so "after version N" never skips or
// repeats one.
const codec = cursorCodec(1, { after_version: int32 });

export function encodeHistoryCursor(afterVersion: number): string {
  return codec.encode({ after_version: afterVersion });
}

/** The version a page starts after, or null for text this server did not issue. */
export function decodeHistoryCursor(text: string): number | null {
  const cursor = codec.decode(text);
  return cursor && cursor.after_version >= 1 ? cursor.after_version : null;
}
