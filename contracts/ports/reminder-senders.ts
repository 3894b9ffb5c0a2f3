import type { DeliveredVia } from '../read-models/notification-schedule.ts';

/*
 * The outgoing channels of reminders, as the scheduler (projections/read-models/notification) sees them. gateways/email
 * and gateways/push implement them (SendGrid, FCM, or the log); app/ chooses which.
 */

/** What became of one send. `retryable` failures (5xx, 429, network) may be tried again; others are final. */
export type Delivery =
  | { readonly ok: true; readonly via: DeliveredVia; readonly detail: string | null }
  | { readonly ok: false; readonly retryable: boolean; readonly error: string };

export interface EmailMessage {
  /** Null when the owner's tokens never carried an `email` claim. */
  readonly to: string | null;
  readonly subject: string;
  readonly text: string;
  /** Identifies the reminder to the provider (SendGrid custom args), for support and bounce tracing. */
  readonly reference: Readonly<Record<string, string>>;
}

export interface EmailSender {
  send(message: EmailMessage): Promise<Delivery>;
}

export interface PushMessage {
  /** The owner's registered device tokens. */
  readonly tokens: readonly string[];
  readonly title: string;
  readonly body: string;
  /** FCM data payload: string values only. */
  readonly data: Readonly<Record<string, string>>;
}

/** A push also reports the tokens the provider said are no longer valid, for the caller to forget. */
export type PushDelivery = Delivery & { readonly invalid_tokens: readonly string[] };

export interface PushSender {
  send(message: PushMessage): Promise<PushDelivery>;
}
