import { describe, expect, it } from 'vitest';
import type { StoredEvent } from '../../contracts/events/stored-event.ts';
import { eventsAsOf } from './fold-as-of.ts';
import { decodeHistoryCursor, encodeHistoryCursor } from './history-cursor.ts';

const stored = (version: number, created_at: string): StoredEvent => ({
  event_id: `e${version}`, stream_id: 's', version, position: version, transaction_id: String(version), type: 'TaskReopened',
  schema_version: 1, data: {}, created_at,
  metadata: { user_id: 'u', correlation_id: 'c', causation_id: null, traceparent: null, idempotency_key: null, request_id: null },
});

describe('the events as of a point', () => {
  const events = [stored(1, '2026-01-01T10:00:00.000Z'), stored(2, '2026-01-01T10:00:05.000Z'), stored(3, '2026-01-01T10:00:03.000Z')];

  it('takes the versions up to the one asked for', () => {
    expect(eventsAsOf(events, { version: 2 }).map((e) => e.version)).toEqual([1, 2]);
  });

  it('includes an event recorded exactly at the instant', () => {
    expect(eventsAsOf(events, { at: '2026-01-01T10:00:00.000Z' }).map((e) => e.version)).toEqual([1]);
  });

  it('stops at the first event recorded after the instant, even when a later version was stamped earlier', () => {
    expect(eventsAsOf(events, { at: '2026-01-01T10:00:04.000Z' }).map((e) => e.version)).toEqual([1]);
  });
});

describe('the history cursor', () => {
  it('round-trips the version a page ends at', () => {
    expect(decodeHistoryCursor(encodeHistoryCursor(42))).toBe(42);
  });

  it.each(['', 'not base64url!', Buffer.from('{"after_version":0}').toString('base64url'), Buffer.from('[1]').toString('base64url')])(
    'rejects %j', (text) => expect(decodeHistoryCursor(text)).toBeNull(),
  );
});
