/** Shapes of the event store port. The store is generic over event types; upcasting happens on read. */

export type { EventMetadata, LogCheckpoint, NewEvent, StoredEvent } from '../../contracts/events/stored-event.ts';
export { LOG_START } from '../../contracts/events/stored-event.ts';

export type ExpectedVersion = 'any' | 'no_stream' | number;

export interface Appended { readonly version: number; readonly position: number }

export interface VersionConflict { readonly code: 'version_conflict'; readonly current_version: number }

/** Remembered alongside an append so that a retry with the same key is answered without appending. */
export interface IdempotencyRecord {
  readonly user_id: string;
  readonly key: string;
  readonly request_hash: string;
  readonly status: number;
}
