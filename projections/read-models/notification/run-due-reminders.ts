import type { DeviceRegistry } from '../../../contracts/ports/device-registry.ts';
import type { DeliveryLog } from '../../../contracts/ports/delivery-log.ts';
import type { EventLog } from '../../../contracts/ports/event-log.ts';
import type { Delivery, EmailSender, PushSender } from '../../../contracts/ports/reminder-senders.ts';
import type { Transactional } from '../../../contracts/ports/sql.ts';
import type { DeliveredVia } from '../../../contracts/read-models/notification-schedule.ts';
import type { Channel } from '../../../domain/task/types.ts';
import { assertNever } from '../../../domain/common/result.ts';
import { childSpan, parseTraceparent, traceLogFields } from '../../../contracts/trace-context.ts';
import { claimDueDeliveries, type ClaimedDelivery } from './claim-due.sql.ts';
import { DEFAULT_POLICY, settle, timeliness, type DeliveryPolicy, type Outcome } from './delivery-policy.ts';
import { enqueueDueReminders } from './enqueue-due.sql.ts';
import { recordOutcome } from './record-outcome.sql.ts';
import { reminderEmail, reminderPush } from './reminder-message.ts';
import { cancelDisarmedDeliveries, settleUnknownSends, UNKNOWN_OUTCOME } from './settle-deliveries.sql.ts';
import { settlementOf } from './settlement.ts';

/** What the scheduler reports, for metrics and logs (app/ implements it). */
export interface ReminderObserver {
  /** A delivery's first try begins. */
  due(channel: Channel): void;
  sent(channel: Channel, via: DeliveredVia, reminder: ReminderRef & { late: boolean; detail: string | null }): void;
  failed(channel: Channel, reminder: ReminderRef & { error: string; retrying: boolean }): void;
  missed(channel: Channel, reminder: ReminderRef): void;
  cancelled(channel: Channel): void;
  /** The tick found the schedule behind the log and sent nothing rather than act on stale rows. */
  scheduleBehind(): void;
}

export interface ReminderRef {
  readonly task_id: string;
  readonly reminder_index: number;
  readonly fire_at: string;
  /** The send's span in the trace of the change that scheduled the reminder, when that change carried one. */
  readonly trace_id?: string;
  readonly span_id?: string;
}

export interface ReminderSchedulerDeps {
  readonly db: Transactional;
  readonly email: EmailSender;
  readonly push: PushSender;
  readonly devices: DeviceRegistry;
  /** Where the traceparent of the change that planned a reminder is read: its send is a span of that trace. */
  readonly log: Pick<EventLog, 'readEventsAt'>;
  /** Where each delivery's final outcome goes into the log, with its record: a restore never sends it again. */
  readonly deliveries: DeliveryLog;
  readonly observer: ReminderObserver;
  /**
   * Resolves true once the schedule reflects every event committed before the call (waiting a bounded
   * while), false when it is still behind: a reminder for a task completed a moment ago must not go out
   * because the projection had not seen the completion yet.
   */
  readonly scheduleCaughtUp: () => Promise<boolean>;
  readonly policy?: Partial<DeliveryPolicy>;
  /** Deliveries claimed (and sent concurrently) per round. */
  readonly batchSize?: number;
  /** A claim still `sending` after this long belonged to a process that died mid-send. */
  readonly unknownAfterMs?: number;
  /** How far before the previous tick's now each scan starts (clock differences between writers). */
  readonly scanMarginMs?: number;
}

export interface RunSummary {
  readonly caught_up: boolean;
  readonly sent: number;
  readonly retrying: number;
  readonly failed: number;
  readonly missed: number;
  readonly cancelled: number;
}

export interface ReminderScheduler {
  /** One pass at `now`: settle, enqueue what came due, claim and deliver until nothing is ready. */
  runDueReminders(now: Date): Promise<RunSummary>;
}

const refOf = (key: { task_id: string; reminder_index: number; fire_at: Date }): ReminderRef =>
  ({ task_id: key.task_id, reminder_index: key.reminder_index, fire_at: key.fire_at.toISOString() });

type Tally = { -readonly [K in keyof RunSummary]: RunSummary[K] };

/**
 * The scheduler's I/O shell. Decisions — on time, late or missed; sent, retried or failed — are the pure
 * functions of delivery-policy.ts; this reads and writes the delivery records around the sends. Several
 * schedulers may run against one database: claims are disjoint, and each (reminder, channel) has one record.
 */
export function createReminderScheduler(deps: ReminderSchedulerDeps): ReminderScheduler {
  const policy: DeliveryPolicy = { ...DEFAULT_POLICY, ...deps.policy };
  const batchSize = deps.batchSize ?? 50;
  const unknownAfterMs = deps.unknownAfterMs ?? 10 * 60_000;
  const scanMarginMs = deps.scanMarginMs ?? 10 * 60_000;
  const { db, observer } = deps;

  async function send(delivery: ClaimedDelivery, late: boolean): Promise<Delivery> {
    switch (delivery.channel) {
      case 'email': return deps.email.send(reminderEmail(delivery, late));
      case 'push': {
        let tokens: string[];
        try {
          tokens = await deps.devices.tokensOf(delivery.user_id);
        } catch (error) {
          // Nothing was sent yet, so a later try is safe.
          return { ok: false, retryable: true, error: `devices not read: ${error instanceof Error ? error.message : String(error)}` };
        }
        const result = await deps.push.send(reminderPush(delivery, late, tokens));
        // The push went out (or not) either way; a token not forgotten now is reported invalid again next time.
        if (result.invalid_tokens.length > 0) await deps.devices.forget(delivery.user_id, result.invalid_tokens).catch(() => 0);
        return result;
      }
      default: return assertNever(delivery.channel);
    }
  }

  /**
   * The traceparent of the event that planned each claimed reminder. Best effort: the claims are committed
   * already, and a send must not wait for, or fail on, its trace context.
   */
  async function traceparentsOf(claimed: readonly ClaimedDelivery[]): Promise<Map<string, string | null>> {
    const key = (streamId: string, version: number) => `${streamId}@${version}`;
    try {
      const events = await deps.log.readEventsAt(claimed.map((d) => ({ stream_id: d.task_id, version: d.version })));
      const byPlace = new Map(events.map((e) => [key(e.stream_id, e.version), e.metadata.traceparent]));
      return new Map(claimed.map((d) => [key(d.task_id, d.version), byPlace.get(key(d.task_id, d.version)) ?? null]));
    } catch {
      return new Map();
    }
  }

  async function deliver(delivery: ClaimedDelivery, traceparent: string | null, now: Date, tally: Tally): Promise<void> {
    const parent = parseTraceparent(traceparent);
    const ref: ReminderRef = { ...refOf(delivery), ...traceLogFields(parent && childSpan(parent)) };
    const timing = timeliness(delivery.fire_at, now, policy);
    let outcome: Outcome;
    if (timing === 'missed') {
      outcome = { status: 'missed', last_error: delivery.last_error };
    } else {
      if (delivery.attempts === 1) observer.due(delivery.channel);
      let result: Delivery;
      try {
        result = await send(delivery, timing === 'late');
      } catch (error) {
        // A sender that throws broke its contract mid-send: whether anything went out is unknown.
        result = { ok: false, retryable: false, error: `${UNKNOWN_OUTCOME} (${error instanceof Error ? error.message : String(error)})` };
      }
      outcome = settle(result, delivery.attempts, delivery.fire_at, now, policy);
    }
    const settled = settlementOf(delivery, delivery.attempts, outcome, now);
    await db.transaction(async (tx) => {
      const recorded = await recordOutcome(tx, delivery, delivery.attempts, outcome);
      if (recorded && settled) await deps.deliveries.recordSettled(tx, settled, traceparent);
    });
    if (settled) deps.deliveries.announce();
    switch (outcome.status) {
      case 'sent':
        tally.sent += 1;
        observer.sent(delivery.channel, outcome.delivered_via, { ...ref, late: outcome.late, detail: outcome.detail });
        return;
      case 'retrying':
        tally.retrying += 1;
        observer.failed(delivery.channel, { ...ref, error: outcome.last_error, retrying: true });
        return;
      case 'failed':
        tally.failed += 1;
        observer.failed(delivery.channel, { ...ref, error: outcome.last_error, retrying: false });
        return;
      case 'missed':
        tally.missed += 1;
        observer.missed(delivery.channel, ref);
        return;
      default: assertNever(outcome);
    }
  }

  return {
    async runDueReminders(now) {
      const tally: Tally = { caught_up: true, sent: 0, retrying: 0, failed: 0, missed: 0, cancelled: 0 };
      if (!(await deps.scheduleCaughtUp())) {
        observer.scheduleBehind();
        return { ...tally, caught_up: false };
      }
      const unknown = await db.transaction(async (tx) => {
        const settled = await settleUnknownSends(tx, new Date(now.getTime() - unknownAfterMs));
        for (const delivery of settled) {
          const failed = settlementOf(delivery, delivery.attempts, { status: 'failed', last_error: UNKNOWN_OUTCOME }, now);
          if (failed) await deps.deliveries.recordSettled(tx, failed, null);
        }
        return settled;
      });
      if (unknown.length > 0) deps.deliveries.announce();
      for (const settled of unknown) {
        tally.failed += 1;
        observer.failed(settled.channel, { ...refOf(settled), error: UNKNOWN_OUTCOME, retrying: false });
      }
      for (const channel of await cancelDisarmedDeliveries(db)) {
        tally.cancelled += 1;
        observer.cancelled(channel);
      }
      await db.transaction((tx) => enqueueDueReminders(tx, now, scanMarginMs));
      for (;;) {
        const claimed = await db.transaction((tx) => claimDueDeliveries(tx, now, batchSize));
        // Every send of the round finishes (and is recorded) before an error of one of them is raised.
        const traceparents = claimed.length > 0 ? await traceparentsOf(claimed) : new Map<string, string | null>();
        const results = await Promise.allSettled(claimed.map((delivery) =>
          deliver(delivery, traceparents.get(`${delivery.task_id}@${delivery.version}`) ?? null, now, tally)));
        const failure = results.find((result) => result.status === 'rejected');
        if (failure) throw failure.reason;
        if (claimed.length < batchSize) break;
      }
      return tally;
    },
  };
}
