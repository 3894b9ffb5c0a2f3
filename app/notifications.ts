import type { Logger } from 'pino';
import { listen, type Listener } from '../gateways/postgres/listen.ts';

export interface Notifications {
  /** Calls `wake` with each notification's payload (null after a reconnect: look for yourself). */
  subscribe(wake: (payload: string | null) => void): () => void;
  /** Wakes this process's subscribers directly, as a notification with an empty payload would. */
  wakeHere(): void;
  close(): Promise<void>;
}

/**
 * One LISTEN connection per channel per process, fanned out to every subscriber in it. A notification
 * whose payload is `ownPayload` came from this process, whose subscribers it already woke: it is passed over.
 */
export async function listenFor(url: string, channel: string, logger: Logger, options: { readonly ownPayload?: string } = {}): Promise<Notifications> {
  const subscribers = new Set<(payload: string | null) => void>();
  const fanOut = (payload: string | null): void => { for (const wake of subscribers) wake(payload); };
  const own = options.ownPayload;
  const listener: Listener = await listen(
    url,
    channel,
    own === undefined || own === '' ? fanOut : (payload) => { if (payload !== own) fanOut(payload); },
    (error) => logger.warn({ err: error, channel }, 'notification connection lost; reconnecting'),
  );
  return {
    subscribe(wake) {
      subscribers.add(wake);
      return () => { subscribers.delete(wake); };
    },
    wakeHere: () => fanOut(''),
    close: () => listener.close(),
  };
}
