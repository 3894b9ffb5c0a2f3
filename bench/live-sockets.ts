import WebSocket from 'ws';

/*
 * Many open live-feed connections, as the soak holds them: each opens with a token, waits for `ready`, and
 * counts the frames it receives. A connection that closes before `close()` asked it to is an error.
 */

export interface LiveSockets {
  /** Frames received so far, over every connection (the `ready` of each included). */
  readonly frames: () => number;
  readonly open: () => number;
  /** Connections that closed or failed without being asked to, with their close codes. */
  readonly unexpectedCloses: () => readonly string[];
  close(): Promise<void>;
}

/** Opens `count` connections to `${wsUrl}/ws`, the i-th with `tokenOf(i)`; resolves once every one said `ready`. */
export async function openLiveSockets(wsUrl: string, count: number, tokenOf: (index: number) => string): Promise<LiveSockets> {
  let frames = 0;
  let closing = false;
  const unexpected: string[] = [];
  const sockets: WebSocket[] = [];
  const ready: Array<Promise<void>> = [];
  for (let index = 0; index < count; index += 1) {
    const socket = new WebSocket(`${wsUrl}/ws`, { headers: { authorization: `Bearer ${tokenOf(index)}` } });
    sockets.push(socket);
    ready.push(new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.once('message', () => resolve());
    }));
    socket.on('message', () => { frames += 1; });
    socket.on('close', (code, reason) => { if (!closing) unexpected.push(`${code} ${reason.toString()}`.trim()); });
    // A failed socket also closes; its close code says what happened.
    socket.on('error', () => undefined);
  }
  await Promise.all(ready);
  return {
    frames: () => frames,
    open: () => sockets.filter((socket) => socket.readyState === WebSocket.OPEN).length,
    unexpectedCloses: () => unexpected,
    async close() {
      closing = true;
      await Promise.all(sockets.map((socket) => new Promise<void>((resolve) => {
        if (socket.readyState === WebSocket.CLOSED) return resolve();
        socket.once('close', () => resolve());
        socket.close(1000);
      })));
    },
  };
}
