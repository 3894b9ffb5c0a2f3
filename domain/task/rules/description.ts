import type { FieldError } from '../types.ts';
import { MAX_DESCRIPTION_LENGTH } from '../limits.ts';
import { storableText } from './text.ts';
import { textLength } from './text-length.ts';

/** Stored verbatim (whitespace can be meaning in Markdown); null means no description. */
export function validateDescription(description: string | null): FieldError[] {
  if (description === null) return [];
  const unstorable = storableText(description, 'description');
  if (unstorable.length > 0) return unstorable;
  const length = textLength(description);
  if (length > MAX_DESCRIPTION_LENGTH) {
    return [{ path: 'description', message: `must be at most ${MAX_DESCRIPTION_LENGTH} characters (got ${length})` }];
  }
  return [];
}
