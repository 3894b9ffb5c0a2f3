import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { runTodo } from '../../support/todo-process.ts';
import type { DrillContext, DrillSystem } from './drill-system.ts';

/**
 * One way to back Todo up and bring it back: the drill runs every row of RECOVERY_PATHS against the same
 * data set. `backup` runs while the source serves; the drill then destroys the source (stops it and drops
 * its database) before `restore`, which must return a system serving on a database of its own.
 */
export interface RecoveryPath<Artefact> {
  readonly name: string;
  backup(system: DrillSystem, drill: DrillContext): Promise<Artefact>;
  restore(artefact: Artefact, drill: DrillContext): Promise<DrillSystem>;
  /** What the backup weighs (bytes on disk), for the drill's report. */
  size(artefact: Artefact): Promise<number>;
}

/** A row of the table with its artefact's type kept inside: backing up yields the restore to run later. */
export interface RecoveryRow {
  readonly name: string;
  backup(system: DrillSystem, drill: DrillContext): Promise<{ bytes: number; restore(): Promise<DrillSystem> }>;
}

export function recoveryPath<Artefact>(path: RecoveryPath<Artefact>): RecoveryRow {
  return {
    name: path.name,
    async backup(system, drill) {
      const artefact = await path.backup(system, drill);
      return { bytes: await path.size(artefact), restore: () => path.restore(artefact, drill) };
    },
  };
}

/** Runs `todo …args` against a system's environment and resolves with its stdout; a non-zero exit throws with its output. */
export async function todo(args: string[], env: Readonly<Record<string, string>>): Promise<string> {
  const run = runTodo(args, { ...env });
  const code = await run.exited;
  if (code !== 0) throw new Error(`todo ${args.join(' ')} exited with ${code}:\n${run.output()}`);
  return run.stdout();
}

/** `todo export` from the source, `todo import` into a new database, then Todo started on it. */
export const eventLogPath = recoveryPath<{ file: string }>({
  name: 'event-log export/import',
  async backup(system, drill) {
    const file = join(drill.workDir, 'event-log.jsonl');
    await todo(['export', '--to', file], system.env);
    return { file };
  },
  async restore({ file }, drill) {
    const url = await drill.newDatabase();
    await todo(['import', '--from', file], { DATABASE_URL: url, LOG_LEVEL: 'warn' });
    return drill.start(url);
  },
  size: async ({ file }) => (await stat(file)).size,
});

/** `todo backup --format logical` (pg_dump) from the source, `todo restore` into a new, empty database. */
export const logicalPath = recoveryPath<{ dir: string }>({
  name: 'todo backup --format logical / todo restore',
  async backup(system, drill) {
    const dir = join(drill.workDir, 'logical');
    await todo(['backup', '--to', dir, '--format', 'logical'], system.env);
    return { dir };
  },
  async restore({ dir }, drill) {
    const url = await drill.newDatabase({ migrated: false });
    await todo(['restore', '--from', dir], { DATABASE_URL: url, LOG_LEVEL: 'warn' });
    return drill.start(url);
  },
  size: async ({ dir }) => folderBytes(dir),
});

async function folderBytes(dir: string): Promise<number> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const sizes = await Promise.all(entries.filter((entry) => entry.isFile()).map(async (entry) => (await stat(join(entry.parentPath, entry.name))).size));
  return sizes.reduce((sum, bytes) => sum + bytes, 0);
}

/**
 * Every supported way back. Adding one is adding a row: `recoveryPath({ name, backup, restore, size })`.
 */
export const RECOVERY_PATHS: readonly RecoveryRow[] = [eventLogPath, logicalPath];
