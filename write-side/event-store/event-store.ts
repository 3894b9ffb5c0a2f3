import type { EventLog } from '../../contracts/ports/event-log.ts';
import type { Result } from '../../domain/common/result.ts';
import type { Queryable } from '../../contracts/ports/sql.ts';
import { append } from './append.sql.ts';
import { findRememberedResult, rememberResult, type RememberedResult } from './idempotency.sql.ts';
import { checkpointAt, checkpointBeforeGap, countAfter, gapHorizon, readLogAfter, readLogHead } from './read-log.sql.ts';
import { readStream } from './read-stream.sql.ts';
import { readEventsAt, readStreamPrefixes } from './read-events-at.sql.ts';
import { readStreamPayloadsUpTo, readStreamsUpTo } from './read-by-stream.sql.ts';
import { splitStreams } from './split-streams.sql.ts';
import { readLastCommittedPosition } from './last-position.sql.ts';
import type { Upcaster } from './row.ts';
import type {
  Appended, ExpectedVersion, IdempotencyRecord, NewEvent, VersionConflict,
} from './types.ts';

/** The port: what the command handler sees; readers see only its EventLog part. No SQL here. */
export interface EventStore extends EventLog {
  append(
    streamId: string,
    expected: ExpectedVersion,
    events: readonly NewEvent[],
    idempotency?: IdempotencyRecord,
  ): Promise<Result<Appended, VersionConflict>>;
  findRememberedResult(userId: string, key: string): Promise<RememberedResult | null>;
  rememberResult(userId: string, key: string, result: RememberedResult): Promise<void>;
}

export function postgresEventStore(db: Queryable, upcast: Upcaster): EventStore {
  return {
    append: (streamId, expected, events, idempotency) => append(db, streamId, expected, events, idempotency),
    readStream: (streamId, options) => readStream(db, streamId, upcast, options),
    readEventsAt: (places) => readEventsAt(db, places, upcast),
    readStreamPrefixes: (places, on) => readStreamPrefixes(on ?? db, places, upcast),
    readLogAfter: (after, limit) => readLogAfter(db, after, limit, upcast),
    readLogHead: () => readLogHead(db),
    readLastCommittedPosition: () => readLastCommittedPosition(db),
    readStreamsUpTo: (upTo, after, limit) => readStreamsUpTo(db, upTo, after, limit, upcast),
    readStreamPayloadsUpTo: (upTo, after, limit) => readStreamPayloadsUpTo(db, upTo, after, limit, upcast),
    splitStreams: (parts) => splitStreams(db, parts),
    checkpointAt: (position) => checkpointAt(db, position),
    gapHorizon: (position) => gapHorizon(db, position),
    checkpointBeforeGap: (position, horizon) => checkpointBeforeGap(db, position, horizon),
    countAfter: (after, limit) => countAfter(db, after, limit),
    findRememberedResult: (userId, key) => findRememberedResult(db, userId, key),
    rememberResult: (userId, key, result) => rememberResult(db, userId, key, result),
  };
}
