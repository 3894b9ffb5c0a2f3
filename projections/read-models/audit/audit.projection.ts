import type { StoredEvent } from '../../../contracts/events/stored-event.ts';
import type { AuditRecord } from '../../../contracts/read-models/audit-log-row.ts';
import { AUDIT_LOG_VIEW } from '../../../contracts/read-models/audit-log-row.ts';
import { initialState } from '../../../domain/task/evolve.ts';
import type { ReadModelProjection } from '../../runtime/projector.ts';
import type { TransactionScope } from '../../../contracts/ports/sql.ts';
import { applySingleStream, foldStreams, groupByStream, type SingleStreamModel } from '../../runtime/single-stream.ts';
import { auditRecord } from './audit-entry.ts';
import { forgetTaskEntries, appendAuditEntries, copyAuditEntries } from './audit-entries.sql.ts';
import { auditIndexes, createAuditTables, dropAuditTables, taskStateTable } from './audit-table.sql.ts';
import { copyTaskStates, forgetTaskState, readTaskStates, saveTaskStates, type AuditTaskState } from './audit-task-state.sql.ts';
import { PROJECTIONS } from '../../../contracts/projection-names.ts';

interface AuditWrite { readonly taskId: string; readonly entries: readonly AuditRecord[]; readonly state: AuditTaskState }

/**
 * Writes one entry per task event. "Before" comes from the projection's own state of each task (kept beside
 * the entries, in the same transaction), moved forward with the one fold — never by folding the stream
 * again, which would cost the whole stream per event. Entries are keyed by event id and the state is
 * version-guarded, so a batch applied twice changes nothing. Three round trips per batch, whatever its size.
 */
const auditModel: SingleStreamModel<StoredEvent, AuditTaskState, AuditWrite> = {
  load: (tx, table, streams) => readTaskStates(tx, table, [...streams.keys()]),
  start: (saved) => (saved ? { kind: 'present', task: saved.task } : initialState),
  fold(taskId) {
    const entries: AuditRecord[] = [];
    return {
      // Events that are not task events are passed over by the fold: the audit log records what happens to tasks only.
      step({ stored, event, before, after }) {
        if (after.kind === 'absent') {
          // Without the creation there is no owner to file the entry under; dead-lettered, visibly, not guessed.
          throw new Error(`audit: ${stored.type} at version ${stored.version} of task ${taskId} has no creation before it`);
        }
        entries.push(auditRecord(stored, event.type, before.kind === 'present' ? before.task : null, after.task));
      },
      done: (state) => (state.kind === 'present' ? { taskId, entries, state: { task: state.task, version: state.task.version } } : null),
    };
  },
  async save(tx, table, written) {
    await appendAuditEntries(tx, table, written.flatMap((w) => w.entries));
    await saveTaskStates(tx, table, new Map(written.map((w) => [w.taskId, w.state])));
  },
};

/**
 * A rebuild's whole tasks into fresh tables: each folded from its creation with no look-up of saved state,
 * entries and states written with COPY (no conflict handling: the tables hold none of these tasks yet).
 */
async function loadWholeTasks(tx: TransactionScope, events: readonly StoredEvent[], table: string): Promise<void> {
  const written = foldStreams(auditModel, groupByStream(events), new Map());
  if (written.length === 0) return;
  await copyAuditEntries(tx, table, written.flatMap((w) => w.entries));
  await copyTaskStates(tx, taskStateTable(table), written.map((w) => [w.taskId, w.state] as const));
}

export const auditProjection: ReadModelProjection = {
  kind: 'read-model',
  name: PROJECTIONS.audit,
  // An audit log with a gap files the entries after it with a stale "before": stop loudly instead
  // (/ready, TodoProjectorStopped) until the dead letter is resolved.
  onPoison: 'stop',
  table: {
    base: 'audit_log', schemaVersion: 1, view: AUDIT_LOG_VIEW, create: createAuditTables, indexes: auditIndexes, drop: dropAuditTables,
    replay: 'by-stream', loadWholeEvents: loadWholeTasks,
  },
  apply: applySingleStream(auditModel),
  // A retry replays the task's whole stream, so the entries after a gap get their "before" right too.
  async forgetStream(tx, table, streamId) {
    await forgetTaskEntries(tx, table, streamId);
    await forgetTaskState(tx, table, streamId);
  },
};
