/** An event as the store keeps it and every log reader receives it. */

export interface EventMetadata {
  readonly user_id: string;
  readonly correlation_id: string;
  readonly causation_id: string | null;
  readonly traceparent: string | null;
  readonly idempotency_key: string | null;
  readonly request_id: string | null;
  /** The actor's `email` claim when the command was made: where their reminders go. Absent on old events. */
  readonly user_email?: string | null;
}

export interface NewEvent {
  readonly event_id: string;
  readonly type: string;
  readonly schema_version: number;
  readonly data: unknown;
  readonly metadata: EventMetadata;
}

export interface StoredEvent extends NewEvent {
  readonly stream_id: string;
  readonly version: number;
  readonly position: number;
  /** xid8 of the appending transaction, as text: the first half of the log order. */
  readonly transaction_id: string;
  readonly created_at: string;
}

/**
 * What folding a stream needs of each event: its place in the stream and the log, and what it says. A
 * rebuild that folds nothing else reads only these columns (half the decoding of a whole event).
 */
export type StreamEvent = Pick<StoredEvent, 'stream_id' | 'version' | 'position' | 'type' | 'schema_version' | 'data'>;

/** A point in the global log: everything at or before it has been read. */
export interface LogCheckpoint { readonly transaction_id: string; readonly position: number }

export const LOG_START: LogCheckpoint = { transaction_id: '0', position: 0 };

/** The place of an event in the log: a reader that has applied it resumes after this. */
export function checkpointOf(event: Pick<StoredEvent, 'transaction_id' | 'position'>): LogCheckpoint {
  return { transaction_id: event.transaction_id, position: event.position };
}

/** The same point of the log (transaction ids compared as numbers, as `isBefore` does). */
export function sameCheckpoint(a: LogCheckpoint, b: LogCheckpoint): boolean {
  return a.position === b.position && BigInt(a.transaction_id) === BigInt(b.transaction_id);
}

/** Log order: by transaction, then position. xid8 values exceed 2^53, so they compare as BigInt. */
export function isBefore(a: LogCheckpoint, b: LogCheckpoint): boolean {
  const ax = BigInt(a.transaction_id);
  const bx = BigInt(b.transaction_id);
  return ax < bx || (ax === bx && a.position < b.position);
}
