import { chmod, mkdir, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { lockDataDir } from '../../../gateways/postgres/data-dir-lock.ts';
import { startEmbeddedPostgres } from '../../../gateways/postgres/embedded.ts';
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

/** A DATA_DIR of its own inside the drill's folder, which the embedded server (the postgres user, as root) can reach. */
async function dataDir(drill: DrillContext, name: string): Promise<string> {
  const dir = join(drill.workDir, name);
  await mkdir(dir, { mode: 0o755 });
  await chmod(dir, 0o755);
  return dir;
}

/**
 * `todo backup --format physical` (pg_basebackup) of an embedded install, `todo restore` into a new DATA_DIR,
 * then Todo on that restored cluster. A physical backup is a whole cluster, restorable only into an embedded
 * DATA_DIR; the drill's source lives in one database of the shared test server (which holds every test
 * file's databases, and may be an external DATABASE_URL server), so the backup step first brings the
 * source's database, as it is, into an embedded install of its own (`todo backup --format logical` then
 * `todo restore`), and takes the physical backup of that cluster.
 */
export const physicalPath = recoveryPath<{ dir: string }>({
  name: 'todo backup --format physical / todo restore',
  async backup(system, drill) {
    const dump = join(drill.workDir, 'physical-staging-dump');
    const install = await dataDir(drill, 'physical-source');
    await todo(['backup', '--to', dump, '--format', 'logical'], system.env);
    await todo(['restore', '--from', dump], { DATA_DIR: install, LOG_LEVEL: 'warn' });
    const dir = join(drill.workDir, 'physical');
    await todo(['backup', '--to', dir, '--format', 'physical'], { DATA_DIR: install, LOG_LEVEL: 'warn' });
    await Promise.all([rm(dump, { recursive: true, force: true }), rm(install, { recursive: true, force: true })]);
    return { dir };
  },
  async restore({ dir }, drill) {
    const target = await dataDir(drill, 'physical-restored');
    await todo(['restore', '--from', dir], { DATA_DIR: target, LOG_LEVEL: 'warn' });
    // Held as a Todo instance holds its DATA_DIR: the restored cluster's server, started once, serves the drill.
    const lock = await lockDataDir(target);
    const server = await startEmbeddedPostgres(target).catch(async (error: unknown) => {
      await lock.release();
      throw error;
    });
    const stopServer = async () => {
      await server.stop();
      await lock.release();
      await rm(target, { recursive: true, force: true });
    };
    const system = await drill.start(server.url).catch(async (error: unknown) => {
      await stopServer();
      throw error;
    });
    return {
      ...system,
      async stop() {
        await system.stop();
        await stopServer();
      },
    };
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
export const RECOVERY_PATHS: readonly RecoveryRow[] = [eventLogPath, logicalPath, physicalPath];
