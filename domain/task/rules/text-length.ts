/**
 * Length as a person counts it, closely enough: Unicode code points, so an emoji is one character rather
 * than the two UTF-16 units `String.prototype.length` reports. PostgreSQL's char_length counts the same way.
 */
export function textLength(text: string): number {
  return [...text].length;
}
