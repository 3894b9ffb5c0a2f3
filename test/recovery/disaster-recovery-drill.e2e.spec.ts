import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRecordingServer, type RecordingServer } from '../support/recording-http-server.ts';
import { snapshotApi, snapshotSize, type ApiSnapshot } from './support/api-snapshot.ts';
import { buildDataSet, caller, type DataSet } from './support/data-set.ts';
import { drillContext, dropDatabase, untilSettled, type DrillContext, type DrillSystem } from './support/drill-system.ts';
import { RECOVERY_PATHS, todo, type RecoveryRow } from './support/recovery-paths.ts';

/*
 * The disaster-recovery drill. A realistic data set is made through the API (several users; tasks with
 * tags, dues and reminders; a recurring task completed three times; reminders sent by the scheduler and
 * others pending; audit entries; a dead letter), backed up by every recovery path, and the source is
 * destroyed. Each path then restores it, and the restored system must answer every task, history entry,
 * audit entry and notification record identically, show a new write at once, rebuild its read models
 * from the log, and send no reminder a second time. RTO — restore start to a system serving every read
 * model — is logged per path (docs/disaster-recovery.md keeps the figures).
 */

const REMINDER_PATHS = { email: '/v3/mail/send' };

let sendgrid: RecordingServer;
let workDir: string;
let drill: DrillContext;
let data: DataSet;
let before: ApiSnapshot;
let sentBefore: number;
const backups = new Map<string, { bytes: number; seconds: number; restore(): Promise<DrillSystem> }>();
const figures: Array<Record<string, string | number>> = [];

const mails = () => sendgrid.requests.filter((request) => request.path === REMINDER_PATHS.email).length;
const seconds = (since: number) => (performance.now() - since) / 1000;

beforeAll(async () => {
  sendgrid = await startRecordingServer({ status: 202, headers: { 'x-message-id': 'drill' } });
  workDir = await mkdtemp(join(tmpdir(), 'todo-drill-'));
  await chmod(workDir, 0o755); // an embedded PostgreSQL (the postgres user, as root) reaches the DATA_DIRs inside
  drill = drillContext(sendgrid.url, workDir);
  const source = await drill.start(await drill.newDatabase());
  data = await buildDataSet(source);
  before = await snapshotApi(source, data);
  sentBefore = mails();
  for (const path of RECOVERY_PATHS) {
    const started = performance.now();
    const backup = await path.backup(source, drill);
    backups.set(path.name, { ...backup, seconds: seconds(started) });
  }
  // The disaster: the source is gone, process and database.
  await source.stop();
  await dropDatabase(source.databaseUrl);
});

afterAll(async () => {
  console.log(`disaster-recovery drill: ${data.events} events, ${data.users.length} users, ${data.remindersSent} reminders sent before the backup; ` +
    `compared ${JSON.stringify(snapshotSize(before))}`);
  console.table(figures);
  await sendgrid.close();
  await rm(workDir, { recursive: true, force: true });
});

describe.each(RECOVERY_PATHS.map((path): [string, RecoveryRow] => [path.name, path]))('restored by %s', (name) => {
  let restored: DrillSystem;

  it('serves again, every read model rebuilt from what was restored', async () => {
    const backup = backups.get(name);
    if (!backup) throw new Error(`no backup by ${name}`);
    const started = performance.now();
    restored = await backup.restore();
    await untilSettled(restored);
    const rto = seconds(started);
    figures.push({ path: name, backup_bytes: backup.bytes, backup_s: Number(backup.seconds.toFixed(2)), rto_s: Number(rto.toFixed(2)) });
    console.log(`RTO ${name}: ${rto.toFixed(2)} s (restore start → serving); backup ${backup.bytes} bytes in ${backup.seconds.toFixed(2)} s`);
  });

  it('answers every task and every history entry identically', async () => {
    const after = await snapshotApi(restored, data);
    expect(after.tasks).toEqual(before.tasks);
    expect(after.task).toEqual(before.task);
    expect(after.history).toEqual(before.history);
  });

  it('answers every audit entry identically', async () => {
    expect((await snapshotApi(restored, data)).audit).toEqual(before.audit);
  });

  it('answers every notification record identically', async () => {
    expect((await snapshotApi(restored, data)).notifications).toEqual(before.notifications);
  });

  it('sends no reminder a second time', async () => {
    // The same passes as the source's scheduler made: every reminder they find was sent already.
    for (const pass of data.schedulerPasses) await restored.api.system.reminders.runDueReminders(pass);
    expect(mails()).toBe(sentBefore);
  });

  it('answers a retried command as the first time (its idempotency record came back)', async () => {
    const call = caller(restored);
    for (const { user, key, body, task_id: id } of data.idempotent) {
      expect(await call(user, 'POST', '/api/tasks', body, { 'idempotency-key': key })).toMatchObject({ status: 201, body: { task_id: id } });
    }
    expect(data.idempotent.length).toBeGreaterThan(0);
  });

  it('lets an operator resolve the dead letter it meets with the CLI, after which every projector goes on', async () => {
    // The poison event is in every restored log; whether its dead letter came back (a database backup) or
    // was met again (an import), the runbook's `dead-letters` then `dead-letters skip` leads to a good end.
    const { db } = restored.api.system.database;
    const open = await db.query<{ id: number }>('SELECT id FROM projection_dead_letters WHERE resolved_at IS NULL ORDER BY id');
    expect(open.rows.length).toBeGreaterThan(0);
    expect(await todo(['projections', 'dead-letters'], restored.env)).toContain('task-view');
    expect(await todo(['projections', 'dead-letters', 'skip', ...open.rows.map((row) => String(row.id))], restored.env)).toMatch(/^skipped/);
    await untilSettled(restored);
    expect((await db.query('SELECT id FROM projection_dead_letters WHERE resolved_at IS NULL')).rows).toEqual([]);
  });

  it('shows a new write at once', async () => {
    const [user] = data.users;
    if (!user) throw new Error('no user');
    const call = caller(restored);
    const created = await call(user, 'POST', '/api/tasks', { title: `Written after the restore by ${name}` });
    expect(created.status).toBe(201);
    const { task_id: id, position } = created.body as { task_id: string; position: number };
    const read = await call(user, 'GET', `/api/tasks/${id}?min_position=${position}`);
    expect(read).toMatchObject({ status: 200, body: { title: `Written after the restore by ${name}` } });
  });

  it('rebuilds every read model from its log with `todo projections rebuild`, to the same answers', async () => {
    // The write just before waited for the task list only: the other read models may still be applying it.
    await untilSettled(restored);
    const current = await snapshotApi(restored, data);
    for (const projection of ['task-view', 'audit', 'notification']) {
      expect(await todo(['projections', 'rebuild', projection], restored.env)).toMatch(new RegExp(`^rebuilt ${projection}: `));
    }
    expect(await snapshotApi(restored, data)).toEqual(current);
    await restored.stop();
  });
});
