import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/*
 * Only the event store (write-side/event-store/) reads and writes the `events` and `streams` tables;
 * every other module goes through its port (contracts/ports/event-log.ts). Specs and benchmarks may
 * inspect or bulk-load the tables directly: they prove or measure the store, they are not its callers.
 */

const ROOT = join(import.meta.dirname, '..', '..');
const SOURCE_FOLDERS = ['app', 'contracts', 'domain', 'gateways', 'projections', 'read-api', 'write-side'];
const OWNER = 'write-side/event-store/';

/** SQL that names one of the two tables as the subject of a clause. */
const NAMES_EVENT_TABLE = /\b(?:from|join|into|update|table|truncate)\s+(?:only\s+)?"?(?:events|streams)"?(?![\w.-])/i;

function sourceFiles(folder: string): string[] {
  return readdirSync(join(ROOT, folder), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts'))
    .map((entry) => relative(ROOT, join(entry.parentPath, entry.name)));
}

function offendingLines(text: string): string[] {
  return text.split('\n').filter((line) => NAMES_EVENT_TABLE.test(line)).map((line) => line.trim());
}

describe('the event tables', () => {
  it('are named in SQL only inside the event store', () => {
    const offenders = SOURCE_FOLDERS.flatMap(sourceFiles)
      .filter((file) => !file.startsWith(OWNER))
      .flatMap((file) => offendingLines(readFileSync(join(ROOT, file), 'utf8')).map((line) => `${file}: ${line}`));
    expect(offenders).toEqual([]);
  });

  it('are recognised in the SQL shapes that would read or write them, and not in prose', () => {
    expect(offendingLines('SELECT 1 FROM events e WHERE e.version = 1')).toHaveLength(1);
    expect(offendingLines('JOIN streams s ON s.stream_id = e.stream_id')).toHaveLength(1);
    expect(offendingLines('INSERT INTO events (event_id) VALUES ($1)')).toHaveLength(1);
    expect(offendingLines('UPDATE streams SET version = $2')).toHaveLength(1);
    expect(offendingLines(' * the events from a stream, read through the port')).toEqual([]);
    expect(offendingLines("import { TOPICS } from '../events/bus-topics.ts';")).toEqual([]);
  });

  it('are still named by the event store itself, so the scan looks where it should', () => {
    expect(offendingLines(readFileSync(join(ROOT, OWNER, 'read-stream.sql.ts'), 'utf8'))).not.toEqual([]);
  });
});
