/*
 * docs/benchmarks.md is written by more than one benchmark: `npm run bench` writes the file, `npm run
 * bench:soak` its own section between markers. Each keeps the other's part.
 */

const start = (name: string) => `<!-- ${name}:start -->`;
const end = (name: string) => `<!-- ${name}:end -->`;

function span(text: string, name: string): { from: number; to: number } | null {
  const from = text.indexOf(start(name));
  const to = text.indexOf(end(name));
  return from === -1 || to < from ? null : { from, to: to + end(name).length };
}

/** What the marked section `name` of `text` holds, without its markers; null when it has none. */
export function markedSection(text: string, name: string): string | null {
  const found = span(text, name);
  return found === null ? null : text.slice(found.from + start(name).length, found.to - end(name).length).trim();
}

/** `text` with its section `name` holding `body`: replaced where it is, or appended when there is none yet. */
export function withMarkedSection(text: string, name: string, body: string): string {
  const section = `${start(name)}\n${body.trim()}\n${end(name)}`;
  const found = span(text, name);
  return found === null ? `${text.trimEnd()}\n\n${section}\n` : `${text.slice(0, found.from)}${section}${text.slice(found.to)}`;
}
