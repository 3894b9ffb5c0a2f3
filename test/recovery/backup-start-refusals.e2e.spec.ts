import { appendFile, chmod, copyFile, cp, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { giveToPostgresUser } from '../../app/backup/server-facts.ts';
import { createDb } from '../../gateways/postgres/db.ts';
import { lockDataDir } from '../../gateways/postgres/data-dir-lock.ts';
import { startEmbeddedPostgres } from '../../gateways/postgres/embedded.ts';
import { pgTools } from '../../gateways/postgres/pg-tools.ts';
import { runTodo } from '../support/todo-process.ts';
import { ageCluster, expectNewWriteVisible, freshDataDir, stopLeftovers, postmasterRunning, serve, todo } from './backup-support.ts';

/*
 * What `todo serve` does with a database it must not serve from: it says why and what to do, exits, and
 * leaves no PostgreSQL of its own running.
 *
 *  - A log copied in with pg_dump and pg_restore by hand, whose transaction ids lie in the new cluster's
 *    future (issue 15, point 1): readers would stop at its first event and new writes would never show.
 *  - A cluster left paused in recovery by a point-in-time restore (issue 15, point 4): the start used to
 *    wait forever for a server that only accepts read-only connections.
 */

let source: string;
let backup: string;
let physical: string;
let taskId: string;

beforeAll(async () => {
  source = await freshDataDir('refusals-source');
  const served = await serve({ DATA_DIR: source });
  await ageCluster(source, 3_000);
  const created = await served.call('POST', '/api/tasks', { title: 'Kept through every refusal' });
  taskId = (created.body as { task_id: string }).task_id;
  backup = join(await freshDataDir('refusals-backup'), 'logical');
  await todo(['backup', '--to', backup], { DATA_DIR: source });
  physical = join(await freshDataDir('refusals-backup'), 'physical');
  await todo(['backup', '--to', physical, '--format', 'physical'], { DATA_DIR: source });
  await served.stop();
}, 300_000);

afterAll(async () => { await stopLeftovers(); });

describe('a log restored by hand with pg_restore', () => {
  it('is refused with what to do, and `todo restore` over it gives a working system', async () => {
    const target = await freshDataDir('hand-restored');
    const lock = await lockDataDir(target);
    const server = await startEmbeddedPostgres(target);
    try {
      const tools = await pgTools(18);
      await tools.run('pg_restore', ['--no-owner', '--no-privileges', '--exit-on-error', `--dbname=${server.url}`, join(backup, 'database')]);
      const db = createDb(server.url, { max: 1 });
      const next = (await db.query<{ next: string }>('SELECT pg_snapshot_xmax(pg_current_snapshot())::text AS next')).rows[0]?.next;
      const newest = (await db.query<{ newest: string }>('SELECT max(transaction_id::text::bigint)::text AS newest FROM events')).rows[0]?.newest;
      await db.close();
      expect(BigInt(newest ?? '0')).toBeGreaterThan(BigInt(next ?? '0'));
    } finally {
      await server.stop();
      await lock.release();
    }

    const refused = runTodo(['serve', 'all'], { DATA_DIR: target, PORT: '0', HOST: '127.0.0.1' });
    expect(await refused.exited).toBe(1);
    expect(refused.output()).toContain("the event log's transaction ids lie in this PostgreSQL server's future");
    expect(refused.output()).toContain('todo restore --from DIR --force');
    expect(await postmasterRunning(target)).toBe(false);

    await todo(['restore', '--from', backup, '--force'], { DATA_DIR: target });
    const served = await serve({ DATA_DIR: target });
    expect((await served.call('GET', `/api/tasks/${taskId}`)).status).toBe(200);
    await expectNewWriteVisible(served);
    await served.stop();
  }, 300_000);
});

describe('a cluster paused in recovery', () => {
  it('is refused with what to do and stopped again; `todo promote` ends the recovery', async () => {
    // A point-in-time restore by hand: the base backup, recovery to a target, then a pause for the operator
    // to check the data (recovery_target_action's default).
    const target = await freshDataDir('paused');
    const cluster = join(target, 'postgres');
    await cp(join(physical, 'postgres'), cluster, { recursive: true });
    for (const file of ['auth-secret', 'postgres-password']) await copyFile(join(physical, 'data-dir', file), join(target, file));
    await writeFile(join(cluster, 'recovery.signal'), '');
    await appendFile(join(cluster, 'postgresql.auto.conf'),
      "restore_command = 'false'\nrecovery_target = 'immediate'\nrecovery_target_action = 'pause'\n");
    await chmod(cluster, 0o700);
    await giveToPostgresUser(cluster);

    const refused = runTodo(['serve', 'all'], { DATA_DIR: target, PORT: '0', HOST: '127.0.0.1' });
    expect(await refused.exited).toBe(1);
    expect(refused.output()).toMatch(/is still in recovery \(pg_is_in_recovery, WAL replay (paused|pause requested)\)/);
    expect(refused.output()).toContain('todo promote');
    expect(await postmasterRunning(target)).toBe(false);

    expect(await todo(['promote'], { DATA_DIR: target })).toContain('out of recovery and writable');
    const served = await serve({ DATA_DIR: target });
    expect((await served.call('GET', `/api/tasks/${taskId}`)).status).toBe(200);
    await expectNewWriteVisible(served);
    await served.stop();
  }, 300_000);
});
