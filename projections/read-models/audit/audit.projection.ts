import type { StoredEvent } from '../../../contracts/events/stored-event.ts';
import type { Queryable } from '../../../contracts/ports/sql.ts';
import type { AuditRecord } from '../../../contracts/read-models/audit-log-row.ts';
import { AUDIT_LOG_VIEW } from '../../../contracts/read-models/audit-log-row.ts';
import { initialState } from '../../../domain/task/evolve.ts';
import { foldTaskStream, versionOf } from '../../../contracts/events/fold-task-stream.ts';
import type { TaskState } from '../../../domain/task/types.ts';
import type { ReadModelProjection } from '../../runtime/projector.ts';
import { auditRecord } from './audit-entry.ts';
import { forgetTaskEntries, appendAuditEntries } from './audit-entries.sql.ts';
import { createAuditTables, dropAuditTables } from './audit-table.sql.ts';
import { forgetTaskState, readTaskStates, saveTaskStates, type AuditTaskState } from './audit-task-state.sql.ts';
import { PROJECTIONS } from '../../../contracts/projection-names.ts';

/**
 * Writes one entry per task event. "Before" comes from the projector's own state of each task (kept beside
 * the entries, in the same transaction), moved forward with the domain's `evolve` — never by folding the
 * stream again, which would cost the whole stream per event. Events at or below a task's state version were
 * applied already and are passed over; entries are keyed by event id; so a batch applied twice changes
 * nothing. Three round trips per batch, whatever its size.
 */
async function applyAuditEvents(tx: Queryable, events: readonly StoredEvent[], table: string): Promise<void> {
  const byTask = new Map<string, StoredEvent[]>();
  for (const event of events) {
    const list = byTask.get(event.stream_id);
    if (list) list.push(event); else byTask.set(event.stream_id, [event]);
  }
  const known = await readTaskStates(tx, table, [...byTask.keys()]);

  const entries: AuditRecord[] = [];
  const moved = new Map<string, AuditTaskState>();
  for (const [taskId, taskEvents] of byTask) {
    const saved = known.get(taskId);
    const start: TaskState = saved ? { kind: 'present', task: saved.task } : initialState;
    // Events that are not task events are passed over: the audit log records what happens to tasks only.
    const state = foldTaskStream(start, taskEvents, ({ stored, event, before, after }) => {
      if (after.kind === 'absent') {
        // Without the creation there is no owner to file the entry under; dead-lettered, visibly, not guessed.
        throw new Error(`audit: ${stored.type} at version ${stored.version} of task ${taskId} has no creation before it`);
      }
      entries.push(auditRecord(stored, event.type, before.kind === 'present' ? before.task : null, after.task));
    });
    if (state.kind === 'present' && versionOf(state) > versionOf(start)) moved.set(taskId, { task: state.task, version: versionOf(state) });
  }
  await appendAuditEntries(tx, table, entries);
  await saveTaskStates(tx, table, moved);
}

export const auditProjection: ReadModelProjection = {
  kind: 'read-model',
  name: PROJECTIONS.audit,
  // One event that cannot be recorded must not hold back every later entry; the dead letter shows the gap.
  onPoison: 'skip',
  table: { base: 'audit_log', view: AUDIT_LOG_VIEW, create: createAuditTables, drop: dropAuditTables, replay: 'by-stream' },
  apply: applyAuditEvents,
  // A retry replays the task's whole stream, so the entries after a gap get their "before" right too.
  async forgetStream(tx, table, streamId) {
    await forgetTaskEntries(tx, table, streamId);
    await forgetTaskState(tx, table, streamId);
  },
};
