import type { Delivery } from '../../../contracts/ports/reminder-senders.ts';
import type { DeliveredVia } from '../../../contracts/read-models/notification-schedule.ts';

/** What a delivery record says after one try. */
export type Outcome =
  | { readonly status: 'sent'; readonly delivered_via: DeliveredVia; readonly late: boolean; readonly sent_at: Date; readonly detail: string | null }
  | { readonly status: 'retrying'; readonly next_attempt_at: Date; readonly last_error: string }
  | { readonly status: 'failed'; readonly last_error: string }
  | { readonly status: 'missed'; readonly last_error: string | null };

export interface DeliveryPolicy {
  /** A reminder more than this past its fire time is recorded as missed instead of sent. */
  readonly maxLatenessMs: number;
  /** A reminder sent more than this after its fire time is marked late. */
  readonly lateAfterMs: number;
  /** Tries per channel, the first included, before a transient failure becomes final. */
  readonly maxAttempts: number;
  /** The wait before try number `attempt + 1`. */
  backoffMs(attempt: number): number;
}

export const DEFAULT_POLICY: DeliveryPolicy = {
  maxLatenessMs: 24 * 60 * 60_000,
  lateAfterMs: 60_000,
  maxAttempts: 5,
  backoffMs: (attempt) => Math.min(30 * 60_000, 30_000 * 2 ** (attempt - 1)),
};

export type Timeliness = 'on_time' | 'late' | 'missed';

/** How a reminder stands at `now`: sent on time, sent late, or too old to send at all. */
export function timeliness(fireAt: Date, now: Date, policy: DeliveryPolicy): Timeliness {
  const lateness = now.getTime() - fireAt.getTime();
  if (lateness > policy.maxLatenessMs) return 'missed';
  return lateness > policy.lateAfterMs ? 'late' : 'on_time';
}

/** What to record after try number `attempts` came back with `delivery`. */
export function settle(delivery: Delivery, attempts: number, fireAt: Date, now: Date, policy: DeliveryPolicy): Outcome {
  if (delivery.ok) {
    return { status: 'sent', delivered_via: delivery.via, late: now.getTime() - fireAt.getTime() > policy.lateAfterMs, sent_at: now, detail: delivery.detail };
  }
  if (delivery.retryable && attempts < policy.maxAttempts) {
    return { status: 'retrying', next_attempt_at: new Date(now.getTime() + policy.backoffMs(attempts)), last_error: delivery.error };
  }
  const gaveUp = delivery.retryable ? ` (gave up after ${attempts} attempts)` : '';
  return { status: 'failed', last_error: `${delivery.error}${gaveUp}` };
}
