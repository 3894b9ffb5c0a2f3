import { z } from 'zod';

// A page ends at a version; events are immutable and only appended, so "after version N" never skips or
// repeats one. The encoding keeps that detail out of clients' hands so it can change.
const Encoded = z.strictObject({ after_version: z.int().min(1).max(Number.MAX_SAFE_INTEGER) });

export function encodeHistoryCursor(afterVersion: number): string {
  return Buffer.from(JSON.stringify({ after_version: afterVersion })).toString('base64url');
}

/** The version a page starts after, or null for text this server did not issue. */
export function decodeHistoryCursor(text: string): number | null {
  try {
    const parsed = Encoded.safeParse(JSON.parse(Buffer.from(text, 'base64url').toString('utf8')));
    return parsed.success ? parsed.data.after_version : null;
  } catch {
    return null;
  }
}
