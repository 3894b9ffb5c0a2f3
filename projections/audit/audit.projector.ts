import type { StoredEvent } from '../../contracts/events/stored-event.ts';
import type { Queryable } from '../../contracts/ports/sql.ts';
import type { AuditRecord } from '../../contracts/read-models/audit-log-row.ts';
import { AUDIT_LOG_VIEW } from '../../contracts/read-models/audit-log-row.ts';
import { initialState } from '../../domain/task/evolve.ts';
import { evolveStored } from '../runtime/evolve-stored.ts';
import type { TaskState } from '../../domain/task/types.ts';
import type { Projector } from '../runtime/projector.ts';
import { auditRecord } from './audit-entry.ts';
import { forgetTaskEntries, appendAuditEntries } from './audit-entries.sql.ts';
import { createAuditTables, dropAuditTables } from './audit-table.sql.ts';
import { forgetTaskState, readTaskStates, saveTaskStates, type AuditTaskState } from './audit-task-state.sql.ts';

/**
 * Writes one entry per task event. "Before" comes from the projector's own state of each task (kept beside
 * the entries, in the same transaction), moved forward with the domain's `evolve` — never by folding the
 * stream again, which would cost the whole stream per event. Events at or below a task's state version were
 * applied already and are passed over; entries are keyed by event id; so a batch applied twice changes
 * nothing. Three round trips per batch, whatever its size.
 */
async function applyAuditEvents(tx: Queryable, events: readonly StoredEvent[], table: string | null): Promise<void> {
  if (!table) throw new Error('audit needs its table');
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
    let state: TaskState = saved ? { kind: 'present', task: saved.task } : initialState;
    let version = saved?.version ?? 0;
    for (const stored of taskEvents) {
      if (stored.version <= version) continue;
      const step = evolveStored(state, stored);
      // Not a task event: the audit log records what happens to tasks only.
      if (!step) continue;
      if (step.state.kind === 'absent') {
        // Without the creation there is no owner to file the entry under; dead-lettered, visibly, not guessed.
        throw new Error(`audit: ${stored.type} at version ${stored.version} of task ${taskId} has no creation before it`);
      }
      entries.push(auditRecord(stored, step.event.type, state.kind === 'present' ? state.task : null, step.state.task));
      state = step.state;
      version = stored.version;
    }
    if (state.kind === 'present' && version > (saved?.version ?? 0)) moved.set(taskId, { task: state.task, version });
  }
  await appendAuditEntries(tx, table, entries);
  await saveTaskStates(tx, table, moved);
}

export const auditProjector: Projector = {
  name: 'audit',
  // One event that cannot be recorded must not hold back every later entry; the dead letter shows the gap.
  onPoison: 'skip',
  table: { base: 'audit_log', schemaVersion: 1, view: AUDIT_LOG_VIEW, create: createAuditTables, drop: dropAuditTables, replay: 'by-stream' },
  apply: applyAuditEvents,
  // A retry replays the task's whole stream, so the entries after a gap get their "before" right too.
  async forgetStream(tx, table, streamId) {
    if (!table) return;
    await forgetTaskEntries(tx, table, streamId);
    await forgetTaskState(tx, table, streamId);
  },
};
