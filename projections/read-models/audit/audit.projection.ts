import type { StoredEvent } from '../../../contracts/events/stored-event.ts';
import type { AuditRecord } from '../../../contracts/read-models/audit-log-row.ts';
import { AUDIT_LOG_VIEW } from '../../../contracts/read-models/audit-log-row.ts';
import { initialState } from '../../../domain/task/evolve.ts';
import type { ReadModelProjection } from '../../runtime/projector.ts';
import type { TransactionScope } from '../../../contracts/ports/sql.ts';
import { applySingleStream, foldStreams, groupByStream, keepsStateOf, keptStates, readBeforeBatch, type SingleStreamModel } from '../../runtime/single-stream.ts';
import type { EventLog } from '../../../contracts/ports/event-log.ts';
import { foldWholeStream } from '../../../contracts/events/fold-task-stream.ts';
import type { TaskState } from '../../../domain/task/types.ts';
import { auditRecord } from './audit-entry.ts';
import { forgetTaskEntries, appendAuditEntries, copyAuditEntries } from './audit-entries.sql.ts';
import { auditIndexes, createAuditTables, dropAuditTables, taskStateTable } from './audit-table.sql.ts';
import { copyTaskStates, forgetTaskState, readTaskStates, saveTaskStates, type AuditTaskState } from './audit-task-state.sql.ts';
import { PROJECTIONS } from '../../../contracts/projection-names.ts';

/** A task's new entries, and its state unless the task only has its creation (that one is cheaper to read back). */
interface AuditWrite { readonly taskId: string; readonly entries: readonly AuditRecord[]; readonly state: AuditTaskState | null }

/**
 * Writes one entry per task event. "Before" comes from the projection's own state of each task (kept beside
 * the entries, in the same transaction), moved forward with the one fold — never by folding the stream
 * again, which would cost the whole stream per event. A task that has only been created (most tasks, for a
 * while, and every task under a create load) has no kept state: its first change folds its creation from
 * the log, in one read for the batch, which costs less than writing a state for every task created. Entries
 * are keyed by event id and the state is version-guarded, so a batch applied twice changes nothing.
 */
function auditModel(log: Pick<EventLog, 'readStreamPrefixes'>): SingleStreamModel<StoredEvent, TaskState, AuditWrite> {
  return {
    async load(tx, table, streams) {
      const kept = await readTaskStates(tx, table, [...streams.keys()]);
      const starts = new Map<string, TaskState>([...kept].map(([taskId, saved]) => [taskId, { kind: 'present', task: saved.task }]));
      const earlier = await readBeforeBatch(log, tx, [...streams].filter(([taskId]) => !kept.has(taskId)));
      for (const [taskId, events] of earlier) starts.set(taskId, foldWholeStream(events));
      return starts;
    },
    start: (saved) => saved ?? initialState,
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
        done: (state) => (state.kind === 'present' ? { taskId, entries, state: keepsStateOf(state.task) ? { task: state.task, version: state.task.version } : null } : null),
      };
    },
    async save(tx, table, written) {
      await appendAuditEntries(tx, table, written.flatMap((w) => w.entries));
      await saveTaskStates(tx, table, new Map(keptStates(written)));
    },
  };
}

/**
 * A rebuild's whole tasks into fresh tables: each folded from its creation with no look-up of saved state,
 * entries and states written with COPY (no conflict handling: the tables hold none of these tasks yet).
 */
async function loadWholeTasks(model: ReturnType<typeof auditModel>, tx: TransactionScope, events: readonly StoredEvent[], table: string): Promise<void> {
  const written = foldStreams(model, groupByStream(events), new Map());
  if (written.length === 0) return;
  await copyAuditEntries(tx, table, written.flatMap((w) => w.entries));
  await copyTaskStates(tx, taskStateTable(table), keptStates(written));
}

/** Built with the log: a task's first change after its creation folds the creation from there. */
export function createAuditProjection(log: Pick<EventLog, 'readStreamPrefixes'>): ReadModelProjection {
  const model = auditModel(log);
  return {
    kind: 'read-model',
    name: PROJECTIONS.audit,
    // An audit log with a gap files the entries after it with a stale "before": stop loudly instead
    // (/ready, TodoProjectorStopped) until the dead letter is resolved.
    onPoison: 'stop',
    paced: true,
    table: {
      base: 'audit_log', schemaVersion: 1, view: AUDIT_LOG_VIEW, create: createAuditTables, indexes: auditIndexes, drop: dropAuditTables,
      replay: 'by-stream', loadWholeEvents: (tx, events, table) => loadWholeTasks(model, tx, events, table),
    },
    apply: applySingleStream(model),
    // A retry replays the task's whole stream, so the entries after a gap get their "before" right too.
    async forgetStream(tx, table, streamId) {
      await forgetTaskEntries(tx, table, streamId);
      await forgetTaskState(tx, table, streamId);
    },
  };
}
