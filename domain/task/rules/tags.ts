import type { FieldError } from '../types.ts';
import { MAX_TAG_LENGTH, MAX_TAGS } from '../limits.ts';
import { storableText } from './text.ts';
import { textLength } from './text-length.ts';

/** The stored spelling of one tag: trimmed, NFC (so "é" typed two ways is one tag), lower case. */
export function normaliseTag(tag: string): string {
  return tag.trim().normalize('NFC').toLowerCase();
}

/** Normalises each tag and drops later duplicates, keeping the author's order. */
export function normaliseTags(tags: readonly string[]): string[] {
  return [...new Set(tags.map(normaliseTag))];
}

/**
 * Paths index the tags as sent, before duplicates collapse, so a client can point at the offending input.
 * The count limit applies after normalising: ["Work", "work"] is one tag.
 */
export function validateTags(tags: readonly string[]): FieldError[] {
  const errors: FieldError[] = [];
  tags.forEach((tag, index) => {
    const unstorable = storableText(tag, `tags[${index}]`);
    if (unstorable.length > 0) {
      errors.push(...unstorable);
      return;
    }
    const length = textLength(normaliseTag(tag));
    if (length === 0) errors.push({ path: `tags[${index}]`, message: 'must not be blank' });
    else if (length > MAX_TAG_LENGTH) errors.push({ path: `tags[${index}]`, message: `must be at most ${MAX_TAG_LENGTH} characters (got ${length})` });
  });
  const distinct = normaliseTags(tags).length;
  if (distinct > MAX_TAGS) errors.push({ path: 'tags', message: `must hold at most ${MAX_TAGS} distinct tags (got ${distinct})` });
  return errors;
}
