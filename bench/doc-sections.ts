import { existsSync, readFileSync } from 'node:fs';

/*
 * docs/benchmarks.md is written by several phases: the core run renders the whole file, and the phases
 * that can run alone (`--only`) each own a section between markers. Writing one section keeps the rest of
 * the file; the core run carries the sections over from the file it replaces.
 */

const start = (name: string) => `<!-- bench:${name}:start -->`;
const end = (name: string) => `<!-- bench:${name}:end -->`;
const SECTION = /<!-- bench:([a-z-]+):start -->[\s\S]*?<!-- bench:\1:end -->/g;

/** The document with section `name` set to `body` (appended when it had none). */
export function withSection(doc: string, name: string, body: string): string {
  const block = `${start(name)}\n${body.trim()}\n${end(name)}`;
  const pattern = new RegExp(`${start(name)}[\\s\\S]*?${end(name)}`);
  return pattern.test(doc) ? doc.replace(pattern, () => block) : `${doc.trimEnd()}\n\n${block}\n`;
}

/** The owned sections of `previous`, carried into a freshly rendered `doc` that has none of them. */
export function carrySections(previous: string, doc: string): string {
  let result = doc;
  for (const match of previous.matchAll(SECTION)) {
    const name = match[1] ?? '';
    if (!result.includes(start(name))) result = `${result.trimEnd()}\n\n${match[0]}\n`;
  }
  return result;
}

export const readDoc = (path: string): string => (existsSync(path) ? readFileSync(path, 'utf8') : '# Benchmarks\n');
