import type { StoredEvent } from '../../../contracts/events/stored-event.ts';
import type { EventLog } from '../../../contracts/ports/event-log.ts';
import type { Queryable } from '../../../contracts/ports/sql.ts';
import { NOTIFICATION_SCHEDULE_VIEW, type ScheduledReminder } from '../../../contracts/read-models/notification-schedule.ts';
import { initialState } from '../../../domain/task/evolve.ts';
import { foldTaskStream, foldWholeStream, versionOf } from '../../../contracts/events/fold-task-stream.ts';
import type { TaskState } from '../../../domain/task/types.ts';
import type { ReadModelProjection } from '../../runtime/projector.ts';
import { planSchedule } from './plan-schedule.ts';
import type { Logger } from 'pino';
import { logScheduleChange } from './schedule-change-log.ts';
import { forgetScheduleRows, readScheduleRows, saveScheduleRows } from './schedule-rows.sql.ts';
import { createScheduleTables, dropScheduleTables } from './schedule-table.sql.ts';
import { forgetTaskState, readTaskStates, saveTaskStates, type NotificationTaskState } from './schedule-task-state.sql.ts';
import { PROJECTIONS } from '../../../contracts/projection-names.ts';

interface Folded { readonly state: TaskState; readonly email: string | null }

/** The task as its stored events leave it: for a task whose state the projection does not keep. */
function fold(events: readonly StoredEvent[]): Folded {
  const email = events.reduce<string | null>((last, stored) => stored.metadata.user_email ?? last, null);
  return { state: foldWholeStream(events), email };
}

/**
 * Keeps the reminder schedule: after each task event, the task's rows are planned again from the task as
 * the domain's `evolve` leaves it. The task state is kept beside the schedule for every task that has
 * rows (most tasks have no reminders, and keeping theirs would double the projection's work for nothing);
 * a task without one that gets an event past its creation is folded from its stream once. Events at or
 * below a kept state's version were applied already, every write is version-guarded, and a task without
 * rows yields none however often it is replayed, so a batch applied twice changes nothing.
 */
function applyScheduleEvents(log: Pick<EventLog, 'readStream'>, logger: Logger | undefined) {
  return async (tx: Queryable, events: readonly StoredEvent[], table: string): Promise<void> => {
    const byTask = new Map<string, StoredEvent[]>();
    for (const event of events) {
      const list = byTask.get(event.stream_id);
      if (list) list.push(event); else byTask.set(event.stream_id, [event]);
    }
    const known = await readTaskStates(tx, table, [...byTask.keys()]);
    const pending = [...byTask].filter(([taskId, taskEvents]) => (taskEvents.at(-1)?.version ?? 0) > (known.get(taskId)?.version ?? 0));
    if (pending.length === 0) return;
    const [schedules, earlier] = await Promise.all([
      readScheduleRows(tx, table, pending.map(([taskId]) => taskId)),
      Promise.all(pending.map(async ([taskId, taskEvents]) => {
        const first = taskEvents[0]?.version ?? 1;
        if (known.has(taskId) || first <= 1) return [taskId, null] as const;
        return [taskId, fold(await log.readStream(taskId, { toVersion: first - 1 }))] as const;
      })).then((entries) => new Map(entries)),
    ]);

    const moved = new Map<string, NotificationTaskState>();
    const rows: ScheduledReminder[] = [];
    for (const [taskId, taskEvents] of pending) {
      const saved = known.get(taskId);
      const before = earlier.get(taskId);
      const start: TaskState = saved ? { kind: 'present', task: saved.task } : before?.state ?? initialState;
      let email = saved?.email ?? before?.email ?? null;
      let schedule = schedules.get(taskId) ?? [];
      const state = foldTaskStream(start, taskEvents, ({ stored, after }) => {
        if (after.kind === 'absent') {
          // Without the creation there is no owner to remind; dead-lettered, visibly, not guessed.
          throw new Error(`notification: ${stored.type} at version ${stored.version} of task ${taskId} has no creation before it`);
        }
        email = stored.metadata.user_email ?? email;
        const planned = planSchedule(schedule, after.task, { version: stored.version, position: stored.position, email });
        if (logger) logScheduleChange(logger, schedule, planned, stored);
        schedule = planned;
      });
      const version = versionOf(state);
      if (state.kind === 'present' && schedule.length > 0 && version > (saved?.version ?? 0)) {
        moved.set(taskId, { task: state.task, email, version });
        rows.push(...schedule);
      }
    }
    await saveScheduleRows(tx, table, rows);
    await saveTaskStates(tx, table, moved);
  };
}

/** Built with the log: a task the schedule kept nothing for is folded from its own stream when it changes. */
export function createNotificationProjection(log: Pick<EventLog, 'readStream'>, logger?: Logger): ReadModelProjection {
  return {
    kind: 'read-model',
    name: PROJECTIONS.notification,
    // A task whose reminders cannot be planned must not hold back everyone else's.
    onPoison: 'skip',
    table: { base: 'notification_schedule', view: NOTIFICATION_SCHEDULE_VIEW, create: createScheduleTables, drop: dropScheduleTables },
    apply: applyScheduleEvents(log, logger),
    // A retry replays the task's whole stream; delivery records stay, so nothing sent is sent again.
    async forgetStream(tx, table, streamId) {
      await forgetScheduleRows(tx, table, streamId);
      await forgetTaskState(tx, table, streamId);
    },
  };
}
