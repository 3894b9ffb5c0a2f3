import { unstorableText } from '../../common/storable-text.ts';
import type { FieldError } from '../types.ts';

/** A field's text must be storable (see `unstorableText`); judged before its length. */
export function storableText(text: string, path: string): FieldError[] {
  const reason = unstorableText(text);
  return reason === null ? [] : [{ path, message: reason }];
}
