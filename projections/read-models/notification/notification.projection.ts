import type { StoredEvent } from '../../../contracts/events/stored-event.ts';
import type { EventLog } from '../../../contracts/ports/event-log.ts';
import { NOTIFICATION_SCHEDULE_VIEW, type ScheduledReminder } from '../../../contracts/read-models/notification-schedule.ts';
import { initialState } from '../../../domain/task/evolve.ts';
import { foldWholeStream } from '../../../contracts/events/fold-task-stream.ts';
import type { TaskState } from '../../../domain/task/types.ts';
import type { ReadModelProjection } from '../../runtime/projector.ts';
import { applySingleStream, keepsStateOf, keptStates, readBeforeBatch, type SingleStreamModel } from '../../runtime/single-stream.ts';
import { planSchedule } from './plan-schedule.ts';
import type { Logger } from 'pino';
import { logScheduleChange } from './schedule-change-log.ts';
import { forgetScheduleRows, readScheduleRows, saveScheduleRows } from './schedule-rows.sql.ts';
import { createScheduleTables, dropScheduleTables } from './schedule-table.sql.ts';
import { forgetTaskState, readTaskStates, saveTaskStates, type NotificationTaskState } from './schedule-task-state.sql.ts';
import { PROJECTIONS } from '../../../contracts/projection-names.ts';
import { parseDeliverySettled, type ReminderDeliverySettled } from '../../../contracts/events/reminder-delivery-settled.ts';
import { restoreSettledDeliveries } from './settled-deliveries.sql.ts';

/** Where a task's fold starts: its kept state, or the task folded from the log, and its schedule rows. */
interface ScheduleStart { readonly state: TaskState; readonly email: string | null; readonly schedule: readonly ScheduledReminder[] }

/** A task's new rows, and its state unless the task only has its creation (that one is cheaper to read back). */
interface ScheduleWrite { readonly taskId: string; readonly state: NotificationTaskState | null; readonly rows: readonly ScheduledReminder[] }

/** The task as its stored events leave it: for a task whose state the projection does not keep. */
function foldUnkept(events: readonly StoredEvent[]): Omit<ScheduleStart, 'schedule'> {
  const email = events.reduce<string | null>((last, stored) => stored.metadata.user_email ?? last, null);
  return { state: foldWholeStream(events), email };
}

/**
 * Keeps the reminder schedule: after each task event, the task's rows are planned again from the task as
 * the fold leaves it. The task state is kept beside the schedule for every task that has rows and has
 * changed since its creation: most tasks have no reminders, and most are created and not changed in the
 * same moment, and keeping their state would double the projection's writes for nothing. A task without
 * one that gets an event past its creation is folded from the log up to there, in one read for the batch.
 * Every write is version-guarded, and a task without rows yields none however often it is replayed, so a
 * batch applied twice changes nothing.
 */
function scheduleModel(log: Pick<EventLog, 'readStreamPrefixes'>, logger: Logger | undefined): SingleStreamModel<StoredEvent, ScheduleStart, ScheduleWrite> {
  return {
    async load(tx, table, streams) {
      const known = await readTaskStates(tx, table, [...streams.keys()]);
      // Streams with nothing past their kept state start from it and fold nothing; only the others need more.
      const pending = [...streams].filter(([taskId, taskEvents]) => (taskEvents.at(-1)?.version ?? 0) > (known.get(taskId)?.version ?? 0));
      const [schedules, earlier] = await Promise.all([
        pending.length > 0 ? readScheduleRows(tx, table, pending.map(([taskId]) => taskId)) : new Map<string, ScheduledReminder[]>(),
        readBeforeBatch(log, tx, pending.filter(([taskId]) => !known.has(taskId))),
      ]);
      // Every stream without a kept state is pending (it has events past version 0), so each is started here.
      const starts = new Map<string, ScheduleStart>();
      for (const taskId of streams.keys()) {
        const saved = known.get(taskId);
        const start = saved ? { state: { kind: 'present', task: saved.task } as const, email: saved.email } : foldUnkept(earlier.get(taskId) ?? []);
        starts.set(taskId, { ...start, schedule: schedules.get(taskId) ?? [] });
      }
      return starts;
    },
    start: (saved) => saved?.state ?? initialState,
    fold(taskId, saved) {
      let email = saved?.email ?? null;
      let schedule = saved?.schedule ?? [];
      return {
        step({ stored, after }) {
          if (after.kind === 'absent') {
            // Without the creation there is no owner to remind; dead-lettered, visibly, not guessed.
            throw new Error(`notification: ${stored.type} at version ${stored.version} of task ${taskId} has no creation before it`);
          }
          email = stored.metadata.user_email ?? email;
          const planned = planSchedule(schedule, after.task, { version: stored.version, position: stored.position, email });
          if (logger) logScheduleChange(logger, schedule, planned, stored);
          schedule = planned;
        },
        done: (state) => (state.kind === 'present' && schedule.length > 0
          ? { taskId, state: keepsStateOf(state.task) ? { task: state.task, email, version: state.task.version } : null, rows: schedule }
          : null),
      };
    },
    async save(tx, table, written) {
      await saveScheduleRows(tx, table, written.flatMap((w) => w.rows));
      await saveTaskStates(tx, table, new Map(keptStates(written)));
    },
  };
}

/** Built with the log: a task the schedule kept nothing for is folded from its own stream when it changes. */
export function createNotificationProjection(log: Pick<EventLog, 'readStreamPrefixes'>, logger?: Logger): ReadModelProjection {
  const applySchedule = applySingleStream(scheduleModel(log, logger));
  return {
    kind: 'read-model',
    name: PROJECTIONS.notification,
    // A schedule that skipped an event would fire reminders the task no longer has, or miss new ones,
    // silently: stop loudly instead (/ready, TodoProjectorStopped) until the dead letter is resolved.
    onPoison: 'stop',
    paced: true,
    table: { base: 'notification_schedule', schemaVersion: 1, view: NOTIFICATION_SCHEDULE_VIEW, create: createScheduleTables, drop: dropScheduleTables },
    // Task events plan the schedule; the scheduler's settlements (in streams of their own) restore the
    // delivery records, so that after a restore or a rebuild from the log nothing sent is sent again.
    async apply(tx, events, table) {
      const settled: ReminderDeliverySettled[] = [];
      const taskEvents: StoredEvent[] = [];
      for (const event of events) {
        const settlement = parseDeliverySettled(event.type, event.data);
        if (settlement) settled.push(settlement); else taskEvents.push(event);
      }
      if (taskEvents.length > 0) await applySchedule(tx, taskEvents, table);
      await restoreSettledDeliveries(tx, settled);
    },
    // A retry replays the task's whole stream; delivery records stay, so nothing sent is sent again.
    async forgetStream(tx, table, streamId) {
      await forgetScheduleRows(tx, table, streamId);
      await forgetTaskState(tx, table, streamId);
    },
  };
}
