import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';

/** A fenced code block of a runbook, with what its info string says about it. */
export interface CodeBlock {
  readonly file: string;
  readonly line: number;
  readonly language: string;
  /** Marked ```sh title="local"```: runnable as written on a single node, and run by the runbook test. */
  readonly local: boolean;
  /** Marked database="empty": needs a database with nothing in it (a restore target). */
  readonly emptyDatabase: boolean;
  readonly text: string;
}

const FENCE = /^```(\S*)(.*)$/;

export function codeBlocks(file: string, markdown: string): CodeBlock[] {
  const blocks: CodeBlock[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i += 1) {
    const open = (lines[i] ?? '').trim().match(FENCE);
    if (!open) continue;
    const start = i;
    const body: string[] = [];
    for (i += 1; i < lines.length && !(lines[i] ?? '').trim().startsWith('```'); i += 1) body.push(lines[i] ?? '');
    const info = open[2] ?? '';
    blocks.push({
      file, line: start + 1, language: open[1] ?? '',
      local: /\btitle="local"/.test(info),
      emptyDatabase: /\bdatabase="empty"/.test(info),
      text: body.map((line) => line.replace(/^ {3}/, '')).join('\n'),
    });
  }
  return blocks;
}

/** The runbooks: docs/runbooks/*.md and docs/disaster-recovery.md, as repository paths. */
export async function runbookFiles(root: string): Promise<string[]> {
  const runbooks = (await readdir(join(root, 'docs/runbooks'))).filter((name) => name.endsWith('.md')).map((name) => join(root, 'docs/runbooks', name));
  return [...runbooks.sort(), join(root, 'docs/disaster-recovery.md')].map((path) => relative(root, path));
}

/** The `inline code` of prose lines (outside fences), as blocks of their own: commands are quoted there too. */
export function inlineCode(file: string, markdown: string): CodeBlock[] {
  const spans: CodeBlock[] = [];
  let fenced = false;
  for (const [i, line] of markdown.split('\n').entries()) {
    if (line.trim().startsWith('```')) fenced = !fenced;
    if (fenced || line.trim().startsWith('```')) continue;
    for (const match of line.matchAll(/`([^`]+)`/g)) {
      spans.push({ file, line: i + 1, language: 'inline', local: false, emptyDatabase: false, text: match[1] ?? '' });
    }
  }
  return spans;
}

export async function runbookBlocks(root: string): Promise<CodeBlock[]> {
  const blocks: CodeBlock[] = [];
  for (const file of await runbookFiles(root)) {
    const markdown = await readFile(join(root, file), 'utf8');
    blocks.push(...codeBlocks(file, markdown), ...inlineCode(file, markdown));
  }
  return blocks;
}

/** Every `todo` invocation in a shell text: `todo …`, `node app/main.ts …`, `npm run todo -- …`; its arguments. */
export function todoInvocations(text: string): string[][] {
  const calls: string[][] = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\s#.*$/, '');
    // `todo` alone only where a command starts (not a namespace, as in `kubectl -n todo`).
    const match = line.match(/(?:node app\/main\.ts|npm run todo --)\s+([^;&|)`]*)/) ?? line.match(/^\s*(?:\$\s+)?todo\s+([^;&|)`]*)/);
    if (!match?.[1]) continue;
    calls.push(match[1].trim().split(/\s+/).filter((word) => word !== ''));
  }
  return calls;
}

/** A usage line's command words (`projections rebuild`), up to its first option or placeholder. */
function head(line: string): string[] {
  const words: string[] = [];
  // The command part ends where the description column begins (two spaces or more).
  for (const word of (line.split(/\s{2,}/)[0] ?? line).split(/\s+/)) {
    if (!/^[a-z][a-z-]*$/.test(word)) break;
    words.push(word);
  }
  return words;
}

/**
 * Whether arguments parse against the CLI's usage text: they start with the command words of one of its
 * lines (the longest that fits), and every --flag is one that line names. Values are not judged.
 */
export function parsesAgainst(usage: string, args: readonly string[]): string | null {
  const lines = usage.split('\n').map((line) => line.trim()).filter((line) => line !== '' && !line.startsWith('usage:'));
  const fitting = lines
    .map((line) => ({ line, words: head(line) }))
    .filter(({ words }) => words.length > 0 && words.every((word, i) => args[i] === word))
    .sort((a, b) => b.words.length - a.words.length);
  const best = fitting[0];
  // `projections …` in prose stands for any of that command's forms: it parses when some line begins so.
  const elided = args.indexOf('…');
  if (!best && elided > 0 && lines.some((line) => args.slice(0, elided).every((word, i) => head(line)[i] === word))) return null;
  if (!best) return `"${args.slice(0, 2).join(' ')}" is not a command of the CLI`;
  const optionsPart = best.line.split(/\s{2,}/)[0] ?? best.line;
  for (const flag of args.filter((arg) => arg.startsWith('--'))) {
    const name = flag.split('=')[0] ?? flag;
    if (!optionsPart.includes(name)) return `${name} is not an option of "${optionsPart}"`;
  }
  return null;
}
