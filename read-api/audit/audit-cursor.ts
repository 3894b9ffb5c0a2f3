import { z } from 'zod';

// A page ends at a log position; entries are only appended and each has its own position, so "before
// position P" never repeats one. The encoding keeps that detail out of clients' hands so it can change.
const Encoded = z.strictObject({ before_position: z.int().min(1).max(Number.MAX_SAFE_INTEGER) });

export function encodeAuditCursor(beforePosition: number): string {
  return Buffer.from(JSON.stringify({ before_position: beforePosition })).toString('base64url');
}

/** The position a page starts below, or null for text this server did not issue. */
export function decodeAuditCursor(text: string): number | null {
  try {
    const parsed = Encoded.safeParse(JSON.parse(Buffer.from(text, 'base64url').toString('utf8')));
    return parsed.success ? parsed.data.before_position : null;
  } catch {
    return null;
  }
}
