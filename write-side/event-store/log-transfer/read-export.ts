import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { z } from 'zod';
import {
  EXPORT_FORMAT, EXPORT_FORMAT_VERSION, ExportedEvent, ExportedIdempotencyRecord, ExportHeader, ExportTrailer,
  type ExportBodyLine,
} from '../../../contracts/events/log-export.ts';

/** Why a file is not a complete, intact export this version of Todo can import. */
export class ExportFileError extends Error {
  override readonly name = 'ExportFileError';
}

function parseJson(text: string, lineNumber: number): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new ExportFileError(`line ${lineNumber} is not JSON: the file is damaged`);
  }
}

function validated<S extends z.ZodType>(schema: S, value: unknown, lineNumber: number, what: string): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const at = issue?.path.length ? ` at ${issue.path.join('.')}` : '';
  throw new ExportFileError(`line ${lineNumber} is not a valid ${what}${at}: ${issue?.message ?? 'invalid'}`);
}

function bodyLine(value: unknown, lineNumber: number): ExportBodyLine {
  const record = typeof value === 'object' && value !== null && 'record' in value ? value.record : undefined;
  switch (record) {
    case undefined: return validated(ExportedEvent, value, lineNumber, 'event');
    case 'idempotency': return validated(ExportedIdempotencyRecord, value, lineNumber, 'idempotency record');
    case 'trailer': return validated(ExportTrailer, value, lineNumber, 'trailer');
    default: throw new ExportFileError(`line ${lineNumber} is a record of unknown kind ${JSON.stringify(record)}`);
  }
}

export interface ExportLines {
  readonly header: ExportHeader;
  /** The events and idempotency records, in file order; the trailer is checked when they are exhausted. */
  readonly body: AsyncIterable<ExportedEvent | ExportedIdempotencyRecord>;
}

/**
 * Opens an export file: its header is checked at once (format and version), every further line as it is
 * read, and the trailer at the end (counts and checksum), so iterating `body` to its end without an error
 * proves the file whole. Lines are read one at a time: memory does not grow with the file.
 */
export async function openExport(path: string): Promise<ExportLines> {
  const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity })[Symbol.asyncIterator]();
  const first = await lines.next();
  if (first.done) throw new ExportFileError('the file is empty: not an export');
  const raw = parseJson(first.value, 1);
  const format = typeof raw === 'object' && raw !== null && 'format' in raw ? raw.format : undefined;
  if (format !== EXPORT_FORMAT) throw new ExportFileError(`not a Todo event-log export: the first line names no format "${EXPORT_FORMAT}"`);
  const header = validated(ExportHeader, raw, 1, 'header');
  if (header.version !== EXPORT_FORMAT_VERSION) {
    throw new ExportFileError(`export format version ${header.version} is not supported: this Todo reads version ${EXPORT_FORMAT_VERSION}`);
  }

  async function* body(): AsyncGenerator<ExportedEvent | ExportedIdempotencyRecord> {
    const digest = createHash('sha256');
    let lineNumber = 1;
    let events = 0;
    let records = 0;
    for (let next = await lines.next(); !next.done; next = await lines.next()) {
      lineNumber += 1;
      const line = bodyLine(parseJson(next.value, lineNumber), lineNumber);
      if ('record' in line && line.record === 'trailer') {
        const extra = await lines.next();
        if (!extra.done) throw new ExportFileError(`line ${lineNumber + 1} follows the trailer: the file is damaged`);
        if (line.events !== events || line.events !== header.events || line.idempotency_records !== records) {
          throw new ExportFileError(`the trailer counts ${line.events} events and ${line.idempotency_records} idempotency records, ` +
            `the header ${header.events} events, the file holds ${events} and ${records}: the file is damaged`);
        }
        if (line.sha256 !== digest.digest('hex')) throw new ExportFileError('the checksum in the trailer does not match the file: it was altered or damaged');
        return;
      }
      digest.update(`${next.value}\n`);
      if ('record' in line) {
        records += 1;
      } else {
        if (records > 0) throw new ExportFileError(`line ${lineNumber}: an event after the idempotency records`);
        events += 1;
      }
      yield line;
    }
    throw new ExportFileError(`the file ends at line ${lineNumber} without its trailer: it is truncated (${events} of ${header.events} events)`);
  }

  return { header, body: body() };
}
