import type { LogCheckpoint, StoredEvent } from '../events/stored-event.ts';

/** Read access to the event store: what projections and queries may see of it. */
export interface EventLog {
  readStream(streamId: string, options?: { fromVersion?: number; toVersion?: number; limit?: number }): Promise<StoredEvent[]>;
  /** The gap-safe global read: events after `after` in log order, never passing an open transaction. */
  readLogAfter(after: LogCheckpoint, limit: number): Promise<StoredEvent[]>;
  readLogHead(): Promise<LogCheckpoint>;
  /** The log checkpoint of the event at `position`, or null when there is none (not yet, or never). */
  checkpointAt(position: number): Promise<LogCheckpoint | null>;
  /** How many events lie after `after`, counting no further than `limit` (bounded work). */
  countAfter(after: LogCheckpoint, limit: number): Promise<number>;
}

/**
 * The PostgreSQL channel on which "the log has grown" is announced, after the appends committed. Readers
 * LISTEN on it; the payload is empty.
 */
export const APPENDS_CHANNEL = 'todo_events';
