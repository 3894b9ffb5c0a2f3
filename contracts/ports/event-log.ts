import type { LogCheckpoint, StoredEvent } from '../events/stored-event.ts';

/** Read access to the event store: what projections and queries may see of it. */
export interface EventLog {
  readStream(streamId: string, options?: { fromVersion?: number; toVersion?: number; limit?: number }): Promise<StoredEvent[]>;
  /** The gap-safe global read: events after `after` in log order, never passing an open transaction. */
  readLogAfter(after: LogCheckpoint, limit: number): Promise<StoredEvent[]>;
  readLogHead(): Promise<LogCheckpoint>;
}
