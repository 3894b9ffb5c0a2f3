import type { LogCheckpoint, StoredEvent, StreamEvent } from '../events/stored-event.ts';
import type { Queryable } from './sql.ts';

/** A place in a stream-ordered read: the last (stream, version) already read. */
export interface StreamCursor { readonly stream_id: string; readonly version: number }

/**
 * Read access to the event store: what projections and queries may see of it. Only the event store
 * (write-side/event-store/) touches the `events` and `streams` tables; everyone else reads through this.
 */
export interface EventLog {
  readStream(streamId: string, options?: { fromVersion?: number; toVersion?: number; limit?: number }): Promise<StoredEvent[]>;
  /** The events at these places of their streams, those that exist, ordered by (stream, version). */
  readEventsAt(places: readonly StreamCursor[]): Promise<StoredEvent[]>;
  /**
   * Each stream up to (and with) its place's version, ordered by (stream, version): many stream prefixes in
   * one read. A reader inside a transaction passes it as `on`, so that the read needs no second connection
   * from the pool: with every connection held by such a transaction, that wait would never end.
   */
  readStreamPrefixes(places: readonly StreamCursor[], on?: Queryable): Promise<StoredEvent[]>;
  /** The gap-safe global read: events after `after` in log order, never passing an open transaction. */
  readLogAfter(after: LogCheckpoint, limit: number): Promise<StoredEvent[]>;
  readLogHead(): Promise<LogCheckpoint>;
  /**
   * The highest position of any committed event, whether or not gap-safe readers may pass it yet (an older
   * transaction may still be open). A consumer that has passed it has seen everything committed so far.
   */
  readLastCommittedPosition(): Promise<number>;
  /**
   * The events at or before `upTo` in log order — a settled part of the log, since `upTo` came from
   * `readLogHead` — stream by stream: ordered by (stream, version), after `after`. For rebuilds of
   * projections whose rows each depend on one stream: every row is written once, not once per batch.
   */
  readStreamsUpTo(upTo: LogCheckpoint, after: StreamCursor | null, limit: number): Promise<StoredEvent[]>;
  /** `readStreamsUpTo` with only what a fold needs of each event: for rebuilds that need no metadata. */
  readStreamPayloadsUpTo(upTo: LogCheckpoint, after: StreamCursor | null, limit: number): Promise<StreamEvent[]>;
  /**
   * Stream ids that cut the streams into `parts` ranges of about equal count, in ascending order (parts − 1
   * of them, fewer when there are few streams): where parallel stream-ordered loads divide the work. Ids
   * minted in time order (UUIDv7) all share a prefix, so a fixed cut of the uuid space would not divide them.
   */
  splitStreams(parts: number): Promise<string[]>;
  /** The log checkpoint of the event at `position`, or null when there is none (not yet, or never). */
  checkpointAt(position: number): Promise<LogCheckpoint | null>;
  /**
   * For a position with no event: what must end before it can be called a gap (a number a failed append
   * consumed), or null while the position is not allocated yet.
   */
  gapHorizon(position: number): Promise<string | null>;
  /**
   * Once `horizon` has passed and the position still has no event: the last event before it in log order
   * (the log's start when none), what a reader must have passed to have passed the gap; null until then.
   */
  checkpointBeforeGap(position: number, horizon: string): Promise<LogCheckpoint | null>;
  /** How many events lie after `after`, counting no further than `limit` (bounded work). */
  countAfter(after: LogCheckpoint, limit: number): Promise<number>;
}

/**
 * The PostgreSQL channel on which "the log has grown" is announced, after the appends committed. Readers
 * LISTEN on it; the payload is empty.
 */
export const APPENDS_CHANNEL = 'todo_events';
