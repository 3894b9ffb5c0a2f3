import { upcastEvent } from '../contracts/events/upcast.ts';
import { createAuditProjection } from '../projections/read-models/audit/audit.projection.ts';
import { rebuildProjection, type RebuildReport } from '../projections/runtime/rebuild-projection.ts';
import { postgresEventStore } from '../write-side/event-store/event-store.ts';
import type { MillionDatabase } from './million-database.ts';
import { cpuPerRequest, postmasterPid, sampleProcessCpu, type CpuPerRequest } from './process-cpu.ts';
import { measureRebuild, type RebuildResult } from './rebuild.ts';
import { round } from './stats.ts';

/*
 * The `rebuild` phase: `todo projections rebuild` of task-view and of audit over the million-task log
 * (10,000,000 events), one after the other, each with the CPU it cost per 1,000 events.
 */

export const REBUILD_TARGETS = { taskView: 50_000, audit: 30_000 } as const;

export interface MillionRebuildResult {
  readonly taskView: RebuildResult;
  readonly taskViewCpu: CpuPerRequest;
  readonly audit: RebuildReport;
  readonly auditCpu: CpuPerRequest;
}

export async function measureMillionRebuilds(database: MillionDatabase, log: (line: string) => void): Promise<MillionRebuildResult> {
  const postmaster = postmasterPid(`${database.dir}/postgres`);
  log('rebuilding task-view over the whole log');
  let before = sampleProcessCpu(postmaster);
  const taskView = await measureRebuild(database.db);
  const taskViewCpu = cpuPerRequest(before, sampleProcessCpu(postmaster), taskView.report.events / 1000);
  log(`task-view: ${round(taskView.eventsPerSecond)} events/s; rebuilding audit`);
  before = sampleProcessCpu(postmaster);
  const store = postgresEventStore(database.db, upcastEvent);
  const audit = await rebuildProjection(database.db, store, createAuditProjection(store));
  const auditCpu = cpuPerRequest(before, sampleProcessCpu(postmaster), audit.events / 1000);
  log(`audit: ${round(audit.events / audit.seconds)} events/s`);
  return { taskView, taskViewCpu, audit, auditCpu };
}

const check = (ok: boolean) => (ok ? '✅ met' : '❌ missed');
const cpu = (c: CpuPerRequest) => `${round(c.totalMs, 1)} ms CPU per 1,000 events (Node ${round(c.nodeMs, 1)} + PostgreSQL ${round(c.postgresMs, 1)})`;

export function renderMillionRebuilds(r: MillionRebuildResult): string {
  const auditRate = r.audit.events / r.audit.seconds;
  const s = r.taskView.split;
  return [
    '| figure | measured | target |',
    '| --- | --- | --- |',
    `| task-view rebuild, ${r.taskView.report.events.toLocaleString('en-US')} events | ${round(r.taskView.eventsPerSecond)}/s (${round(r.taskView.report.seconds, 1)} s); ${cpu(r.taskViewCpu)} | ≥ ${round(REBUILD_TARGETS.taskView)}/s ${check(r.taskView.eventsPerSecond >= REBUILD_TARGETS.taskView)} |`,
    `| audit rebuild, ${r.audit.events.toLocaleString('en-US')} events | ${round(auditRate)}/s (${round(r.audit.seconds, 1)} s); ${cpu(r.auditCpu)} | ≥ ${round(REBUILD_TARGETS.audit)}/s ${check(auditRate >= REBUILD_TARGETS.audit)} |`,
    '',
    `task-view's wall time, by part (the two stream loads overlap, so the parts add up to more): log reads ${round(s.readLog, 1)} s, `
      + `the projector's SQL (COPY) ${round(s.projectorSql, 1)} s, the projector in Node ${round(s.projectorNode, 1)} s, `
      + `index builds ${round(s.createIndexes, 1)} s, ANALYZE ${round(s.analyze, 1)} s.`,
  ].join('\n');
}
