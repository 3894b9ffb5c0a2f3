import type { Result } from '../../domain/shared/result.ts';
import type { Queryable } from '../../contracts/ports/sql.ts';
import { append } from './append.sql.ts';
import { findRememberedResult, rememberResult, type RememberedResult } from './idempotency.sql.ts';
import { readLogAfter, readLogHead } from './read-log.sql.ts';
import { readStream } from './read-stream.sql.ts';
import type { Upcaster } from './row.ts';
import type {
  Appended, ExpectedVersion, IdempotencyRecord, LogCheckpoint, NewEvent, StoredEvent, VersionConflict,
} from './types.ts';

/** The port: what the command handler, the log readers and the queries see. No SQL here. */
export interface EventStore {
  append(
    streamId: string,
    expected: ExpectedVersion,
    events: readonly NewEvent[],
    idempotency?: IdempotencyRecord,
  ): Promise<Result<Appended, VersionConflict>>;
  readStream(streamId: string, options?: { fromVersion?: number; toVersion?: number; limit?: number }): Promise<StoredEvent[]>;
  readLogAfter(after: LogCheckpoint, limit: number): Promise<StoredEvent[]>;
  readLogHead(): Promise<LogCheckpoint>;
  findRememberedResult(userId: string, key: string): Promise<RememberedResult | null>;
  rememberResult(userId: string, key: string, result: RememberedResult): Promise<void>;
}

export function postgresEventStore(db: Queryable, upcast: Upcaster): EventStore {
  return {
    append: (streamId, expected, events, idempotency) => append(db, streamId, expected, events, idempotency),
    readStream: (streamId, options) => readStream(db, streamId, upcast, options),
    readLogAfter: (after, limit) => readLogAfter(db, after, limit, upcast),
    readLogHead: () => readLogHead(db),
    findRememberedResult: (userId, key) => findRememberedResult(db, userId, key),
    rememberResult: (userId, key, result) => rememberResult(db, userId, key, result),
  };
}
