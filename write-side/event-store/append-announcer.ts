import { setTimeout as sleep } from 'node:timers/promises';
import type { Queryable } from '../../contracts/ports/sql.ts';
import type { EventStore } from './event-store.ts';
import { notifyAppended } from './notify-appended.sql.ts';

/** How long a notification waits for more appends to share it; readers in this process never wait. */
const NOTIFY_WINDOW_MS = 1;

/** Wakes log readers after appends have committed. */
export interface AppendAnnouncer {
  announce(): void;
  /** Resolves when no notification is being sent (for an orderly shutdown). */
  settled(): Promise<void>;
}

/**
 * Readers in this process are woken at once; other processes through NOTIFY, coalesced: a notification
 * waits a millisecond for more appends to share it, and while one is on its way, any number of further
 * appends cause exactly one more. Under load that is one NOTIFY per millisecond or round trip, not one per
 * append.
 */
export function appendAnnouncer(deps: {
  readonly db: Queryable;
  /** The notifications' payload: this process's own, for its listener to pass over (notify-appended.sql.ts). */
  readonly origin?: string;
  readonly wakeLocal: () => void;
  readonly onError: (error: unknown) => void;
}): AppendAnnouncer {
  let sending: Promise<void> | null = null;
  let again = false;

  const send = async (): Promise<void> => {
    do {
      // Appends that commit within the next millisecond share this notification.
      await sleep(NOTIFY_WINDOW_MS);
      again = false;
      try {
        await notifyAppended(deps.db, deps.origin);
      } catch (error) {
        // Readers still find the events on their safety poll; the error is reported, not thrown at a
        // command whose events are already committed.
        deps.onError(error);
      }
    } while (again);
    sending = null;
  };

  return {
    announce() {
      deps.wakeLocal();
      if (sending) {
        again = true;
        return;
      }
      sending = send();
    },
    async settled() {
      while (sending) await sending;
    },
  };
}

/** The store, announcing each successful append once it has committed (the store runs in autocommit). */
export function announcingAppends(store: EventStore, announcer: AppendAnnouncer): EventStore {
  return {
    ...store,
    async append(streamId, expected, events, idempotency) {
      const result = await store.append(streamId, expected, events, idempotency);
      if (result.ok) announcer.announce();
      return result;
    },
  };
}
