import type { FieldError } from '../types.ts';
import { MAX_TITLE_LENGTH } from '../limits.ts';
import { storableText } from './text.ts';
import { textLength } from './text-length.ts';

/** Judged on the trimmed title, which is what gets stored. */
export function validateTitle(title: string): FieldError[] {
  const unstorable = storableText(title, 'title');
  if (unstorable.length > 0) return unstorable;
  const length = textLength(title.trim());
  if (length === 0) return [{ path: 'title', message: 'must not be blank' }];
  if (length > MAX_TITLE_LENGTH) return [{ path: 'title', message: `must be at most ${MAX_TITLE_LENGTH} characters (got ${length})` }];
  return [];
}
