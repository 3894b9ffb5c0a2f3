import pg from 'pg';
import { setTimeout as sleep } from 'node:timers/promises';

export interface Listener { close(): Promise<void> }

/**
 * LISTENs on a channel over a dedicated connection and calls `onNotify` with each notification's payload. A
 * lost connection is re-established with backoff; `onNotify(null)` is also called after every (re)connect,
 * because notifications sent while disconnected are lost and the reader must look for itself.
 */
export async function listen(
  url: string,
  channel: string,
  onNotify: (payload: string | null) => void,
  onError: (error: unknown) => void = () => undefined,
): Promise<Listener> {
  if (!/^[a-z_][a-z0-9_]*$/.test(channel)) throw new Error(`invalid channel name ${channel}`);
  let closed = false;
  let client: pg.Client | undefined;

  const connect = async (): Promise<void> => {
    const next = new pg.Client({ connectionString: url, application_name: `todo-listen-${channel}` });
    next.on('notification', (message) => {
      if (message.channel === channel) onNotify(message.payload ?? null);
    });
    next.on('error', (error) => {
      onError(error);
      void reconnect();
    });
    await next.connect();
    await next.query(`LISTEN ${channel}`);
    client = next;
    onNotify(null);
  };

  let reconnecting = false;
  const reconnect = async (): Promise<void> => {
    if (closed || reconnecting) return;
    reconnecting = true;
    const old = client;
    client = undefined;
    await old?.end().catch(() => undefined);
    for (let attempt = 0; !closed; attempt++) {
      await sleep(Math.min(5000, 100 * 2 ** attempt));
      try {
        await connect();
        break;
      } catch (error) {
        onError(error);
      }
    }
    reconnecting = false;
  };

  await connect();
  return {
    async close() {
      closed = true;
      await client?.end().catch(() => undefined);
    },
  };
}
