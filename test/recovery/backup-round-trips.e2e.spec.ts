import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BackupManifest } from '../../contracts/backup-manifest.ts';
import { startEmbeddedPostgres, type EmbeddedServer } from '../../gateways/postgres/embedded.ts';
import { lockDataDir } from '../../gateways/postgres/data-dir-lock.ts';
import { ageCluster, expectNewWriteVisible, freshDataDir, stopLeftovers, seed, serve, snapshot, todo, type Served } from './backup-support.ts';
import { runTodo } from '../support/todo-process.ts';

/*
 * `todo backup` and `todo restore` as an operator uses them, by every supported path: a logical and a
 * physical backup of an embedded install restored into a new DATA_DIR, and a logical one restored into an
 * external PostgreSQL (the move off the embedded database). Each restored system must show, through the
 * API, the very tasks, histories, audit entries and notification records of the original, take a new write
 * that is visible at once, and keep every row through `projections rebuild`.
 *
 * The source cluster is aged first, so its transaction ids lie beyond any a new cluster has handed out:
 * a logical restore that kept them would leave a log no reader gets past (issue 15, point 1).
 */

let backups: string;
let before: Record<string, unknown>;
let external: { server: EmbeddedServer; release: () => Promise<void> } | undefined;

beforeAll(async () => {
  const source = await freshDataDir('backup-source');
  const env = { DATA_DIR: source };
  const served = await serve(env);
  await ageCluster(source, 3_000);
  await seed(served);
  before = await snapshot(served);
  backups = await freshDataDir('backups');
  // Both taken from the running instance, as an operator would.
  await todo(['backup', '--to', join(backups, 'logical')], env);
  await todo(['backup', '--to', join(backups, 'physical'), '--format', 'physical'], env);
  await served.stop();
}, 300_000);

afterAll(async () => {
  await stopLeftovers();
  await external?.server.stop();
  await external?.release();
});

/** The restored system equals the original, writes, and rebuilds its task view without losing a row. */
async function expectIdenticalAndWritable(served: Served): Promise<void> {
  expect(await snapshot(served)).toEqual(before);
  const written = await expectNewWriteVisible(served);
  const after = await snapshot(served, written.position);
  await todo(['projections', 'rebuild', 'task-view'], served.env);
  const rebuilt = await snapshot(served, written.position);
  expect(rebuilt).toEqual(after);
  expect((rebuilt['tasks'] as Array<{ id: string }>).map((task) => task.id)).toContain(written.task_id);
}

describe('todo backup', () => {
  it('writes a manifest that says what the backup holds', async () => {
    for (const format of ['logical', 'physical'] as const) {
      const manifest = BackupManifest.parse(JSON.parse(await readFile(join(backups, format, 'manifest.json'), 'utf8')));
      expect(manifest).toMatchObject({ format, format_version: 1, source: 'embedded', tools_major: 18, data_dir_files: ['auth-secret', 'postgres-password'] });
      expect(manifest.event_count).toBeGreaterThan(15);
      expect(manifest.log_head.position).toBe(manifest.event_count);
      expect(existsSync(join(backups, format, manifest.database))).toBe(true);
    }
  });
});

describe('todo restore', () => {
  it('restores a logical backup into a new DATA_DIR: identical and writable', async () => {
    const target = await freshDataDir('restore-logical');
    await todo(['restore', '--from', join(backups, 'logical')], { DATA_DIR: target });
    const served = await serve({ DATA_DIR: target });
    await expectIdenticalAndWritable(served);
    await served.stop();

    const again = runTodo(['restore', '--from', join(backups, 'logical')], { DATA_DIR: target });
    expect(await again.exited).not.toBe(0);
    expect(again.output()).toContain('already holds a database; pass --force to replace it');
  }, 300_000);

  it('restores a physical backup into a new DATA_DIR: identical and writable', async () => {
    const target = await freshDataDir('restore-physical');
    await todo(['restore', '--from', join(backups, 'physical')], { DATA_DIR: target });
    const served = await serve({ DATA_DIR: target });
    await expectIdenticalAndWritable(served);
    await served.stop();
  }, 300_000);

  it('moves an embedded install to an external PostgreSQL server: identical and writable', async () => {
    // The external server: another PostgreSQL, started from the embedded binaries in a folder of its own.
    const serverDir = await freshDataDir('external-server');
    const lock = await lockDataDir(serverDir);
    external = { server: await startEmbeddedPostgres(serverDir), release: () => lock.release() };
    const env = { DATABASE_URL: external.server.url, DATA_DIR: await freshDataDir('external-secrets') };

    const physical = runTodo(['restore', '--from', join(backups, 'physical')], env);
    expect(await physical.exited).not.toBe(0);
    expect(physical.output()).toContain('take a logical backup');

    await todo(['restore', '--from', join(backups, 'logical')], env);
    const served = await serve(env);
    await expectIdenticalAndWritable(served);
    await served.stop();

    const again = runTodo(['restore', '--from', join(backups, 'logical')], env);
    expect(await again.exited).not.toBe(0);
    expect(again.output()).toContain('database is not empty');
    await todo(['restore', '--from', join(backups, 'logical'), '--force'], env);
    const replaced = await serve(env);
    expect(await snapshot(replaced)).toEqual(before);
    await replaced.stop();
  }, 300_000);
});
