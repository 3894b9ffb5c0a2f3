import type { CopyValue } from '../../contracts/ports/sql.ts';

/*
 * COPY's text format (PostgreSQL docs, "COPY", File Formats): one line per row, columns separated by tabs,
 * NULL written as \N, and a backslash, newline, carriage return or tab inside a value escaped with a
 * backslash. A text[] value is an array literal with every element double-quoted, so no element can be
 * read as NULL or split at a comma or brace.
 */

const NEEDS_ESCAPE = /[\\\n\r\t]/;
const ESCAPED: Readonly<Record<string, string>> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function escapeText(text: string): string {
  return NEEDS_ESCAPE.test(text) ? text.replace(/[\\\n\r\t]/g, (c) => ESCAPED[c] ?? c) : text;
}

function arrayLiteral(elements: readonly string[]): string {
  return `{${elements.map((element) => `"${element.replace(/[\\"]/g, (c) => `\\${c}`)}"`).join(',')}}`;
}

function field(value: CopyValue): string {
  if (value === null) return '\\N';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new RangeError(`COPY takes finite numbers, not ${value}`);
    return String(value);
  }
  return escapeText(typeof value === 'string' ? value : arrayLiteral(value));
}

/** One row as a line of COPY text, newline included. (A loop, not map and join: it runs once per row of a rebuild.) */
export function copyTextLine(values: readonly CopyValue[]): string {
  let line = '';
  for (let i = 0; i < values.length; i += 1) line += (i === 0 ? '' : '\t') + field(values[i] ?? null);
  return `${line}\n`;
}
