import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import type { Logger } from 'pino';
import { exportLog } from '../write-side/event-store/log-transfer/export-log.ts';
import { importLog } from '../write-side/event-store/log-transfer/import-log.ts';
import { loadConfig } from './config.ts';
import { connectDatabase } from './database.ts';

export const LOG_TRANSFER_USAGE = `  export --to FILE                        write the whole event log as JSON Lines of CloudEvents (FILE - for stdout)
  import --from FILE                      load an export into an empty database; read models rebuild from it
`;

function option(args: string[], name: 'to' | 'from', command: string): string {
  const { values } = parseArgs({ args, options: { [name]: { type: 'string' } }, strict: true });
  const value = values[name];
  if (typeof value !== 'string' || value === '') throw new Error(`${command} needs --${name} FILE\n${LOG_TRANSFER_USAGE}`);
  return value;
}

function writer(stream: Writable): (line: string) => Promise<void> {
  return async (line) => {
    if (!stream.write(line)) await once(stream, 'drain');
  };
}

const perSecond = (count: number, seconds: number) => Math.round(count / Math.max(seconds, 0.001));

/**
 * `todo export --to FILE`: the event-sourced backup. A file is written beside its name and renamed into
 * place at the end, so an export that fails half way never leaves a file that looks like one.
 */
export async function exportCommand(args: string[], logger: Logger): Promise<void> {
  const to = option(args, 'to', 'export');
  const database = await connectDatabase(loadConfig(), logger);
  const started = performance.now();
  try {
    if (to === '-') {
      const report = await exportLog(database.db, writer(process.stdout));
      process.stderr.write(`exported ${report.events} events and ${report.idempotency_records} idempotency records (${report.bytes} bytes)\n`);
      return;
    }
    const partial = `${to}.partial`;
    const file = createWriteStream(partial, { mode: 0o600 });
    try {
      const report = await exportLog(database.db, writer(file));
      file.end();
      await once(file, 'finish');
      await rename(partial, to);
      const seconds = (performance.now() - started) / 1000;
      process.stdout.write(`exported ${report.events} events and ${report.idempotency_records} idempotency records to ${to}: ` +
        `${report.bytes} bytes, head position ${report.head_position}, ${seconds.toFixed(1)} s (${perSecond(report.events, seconds)} events/s)\n`);
    } catch (error) {
      file.destroy();
      await rm(partial, { force: true });
      throw error;
    }
  } finally {
    await database.close();
  }
}

/** `todo import --from FILE`: into an empty database (or to finish an interrupted import of the same file). */
export async function importCommand(args: string[], logger: Logger): Promise<void> {
  const from = option(args, 'from', 'import');
  const database = await connectDatabase(loadConfig(), logger);
  try {
    const report = await importLog(database.db, from, (imported, total) => process.stderr.write(`\rimported ${imported}/${total} events`));
    if (report.events > 0) process.stderr.write('\n');
    process.stdout.write(`imported ${report.events} events${report.resumed_after > 0 ? ` (resumed after ${report.resumed_after})` : ''} ` +
      `and ${report.idempotency_records} idempotency records in ${report.seconds.toFixed(1)} s (${perSecond(report.events, report.seconds)} events/s); ` +
      'read models and reminders rebuild from the log when Todo starts\n');
  } finally {
    await database.close();
  }
}
