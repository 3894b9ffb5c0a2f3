import type { StreamEvent } from '../../contracts/events/stored-event.ts';
import type { EventMetadata, StoredEvent } from './types.ts';

/** Every column a reader selects, in the shape `toStoredEvent` expects. */
export const EVENT_COLUMNS = `
  position::float8 AS position, transaction_id::text AS transaction_id, event_id, stream_id,
  version::float8 AS version, type, schema_version, data, metadata, created_at`;

/** The columns of an event row, whatever type the reader gives created_at. */
export interface EventColumns {
  position: number;
  transaction_id: string;
  event_id: string;
  stream_id: string;
  version: number;
  type: string;
  schema_version: number;
  data: unknown;
  metadata: EventMetadata;
}

export interface EventRow extends EventColumns {
  created_at: Date;
  [column: string]: unknown;
}

/** Brings an old payload to its current schema; it reads and changes only type, schema_version and data. */
export type Upcaster = <E extends StreamEvent>(event: E) => E;

export function toStoredEvent(row: EventRow, upcast: Upcaster): StoredEvent {
  return upcast({
    position: row.position,
    transaction_id: row.transaction_id,
    event_id: row.event_id,
    stream_id: row.stream_id,
    version: row.version,
    type: row.type,
    schema_version: row.schema_version,
    data: row.data,
    metadata: row.metadata,
    created_at: row.created_at.toISOString(),
  });
}
