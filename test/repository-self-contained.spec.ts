import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/*
 * The repository explains itself: the architecture, the public contract and the event-store guarantees
 * are in docs/architecture.md, and nothing in the repository sends a reader to a document outside it (the
 * design notes the project started from, a shared folder next to the checkout, a reviewer's notes).
 */

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const THIS_FILE = relative(ROOT, fileURLToPath(import.meta.url));

const OUTSIDE_REFERENCES: ReadonlyArray<{ readonly pattern: RegExp; readonly what: string }> = [
  { pattern: /\bDESIGN\b/, what: 'the design notes (cite docs/architecture.md and its section)' },
  { pattern: /\b(?:NOTES|STYLE)\.md\b/, what: 'notes kept outside the repository' },
  // No folder of ours is called shared/ (the domain's common pieces are domain/common/), so any path through
  // one points at the folder next to the checkout.
  { pattern: /(?:^|[\s'"`(/.])shared\//, what: 'the shared folder next to the checkout' },
  { pattern: /\/work\/(?:shared|notes|main|wt-)/, what: 'a path on the machine it was written on' },
];

/** Files tracked by git plus new ones not ignored; without git, the tree minus what is never committed. */
function repositoryFiles(): string[] {
  try {
    const listed = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: ROOT, encoding: 'utf8' });
    return listed.split('\0').filter((file) => file !== '');
  } catch {
    return walk(ROOT);
  }
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.name === 'node_modules' || entry.name === 'dist' || (entry.isDirectory() && entry.name.startsWith('.') && entry.name !== '.ci' && entry.name !== '.github')) return [];
    const path = join(dir, entry.name);
    return entry.isDirectory() ? walk(path) : entry.isFile() ? [relative(ROOT, path)] : [];
  });
}

function outsideReferences(file: string): string[] {
  let text: string;
  try {
    text = readFileSync(join(ROOT, file), 'utf8');
  } catch {
    return []; // listed by git but deleted in the working tree
  }
  if (text.includes('\0')) return []; // binary
  return text.split('\n').flatMap((line, index) =>
    OUTSIDE_REFERENCES.filter(({ pattern }) => pattern.test(line)).map(({ what }) => `${file}:${index + 1}: ${what}: ${line.trim()}`));
}

describe('the repository', () => {
  it('holds its architecture and contract in docs/architecture.md', () => {
    const architecture = readFileSync(join(ROOT, 'docs/architecture.md'), 'utf8');
    for (const section of ['## 1. Shape', '## 3. Event store guarantees', '## 5. Transports', '## 6. Public contract']) {
      expect(architecture).toContain(section);
    }
  });

  it('refers to no document outside itself', () => {
    const found = repositoryFiles().filter((file) => file !== THIS_FILE).flatMap(outsideReferences);
    expect(found).toEqual([]);
  });
});
