import type { Logger } from 'pino';
import { listen, type Listener } from '../gateways/postgres/listen.ts';

export interface Notifications {
  /** Calls `wake` with each notification's payload (null after a reconnect: look for yourself). */
  subscribe(wake: (payload: string | null) => void): () => void;
  /** Wakes this process's subscribers directly, as a notification with an empty payload would. */
  wakeHere(): void;
  close(): Promise<void>;
}

/** One LISTEN connection per channel per process, fanned out to every subscriber in it. */
export async function listenFor(url: string, channel: string, logger: Logger): Promise<Notifications> {
  const subscribers = new Set<(payload: string | null) => void>();
  const fanOut = (payload: string | null): void => { for (const wake of subscribers) wake(payload); };
  const listener: Listener = await listen(
    url,
    channel,
    fanOut,
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
