/** Shapes of the event store port. The store is generic over event types; upcasting happens on read. */

export type ExpectedVersion = 'any' | 'no_stream' | number;

export interface EventMetadata {
  readonly user_id: string;
  readonly correlation_id: string;
  readonly causation_id: string | null;
  readonly traceparent: string | null;
  readonly idempotency_key: string | null;
  readonly request_id: string | null;
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

export interface Appended { readonly version: number; readonly position: number }

export interface VersionConflict { readonly code: 'version_conflict'; readonly current_version: number }

/** Remembered alongside an append so that a retry with the same key is answered without appending. */
export interface IdempotencyRecord {
  readonly user_id: string;
  readonly key: string;
  readonly request_hash: string;
  readonly status: number;
}

/** A point in the global log: everything at or before it has been read. */
export interface LogCheckpoint { readonly transaction_id: string; readonly position: number }

export const LOG_START: LogCheckpoint = { transaction_id: '0', position: 0 };
