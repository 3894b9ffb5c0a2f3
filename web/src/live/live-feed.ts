import type { ServerFrame, TaskChangedFrame } from '../api/types.ts';

/*
 * The live feed (GET /ws, docs/architecture.md §6.5) with reconnection: the token goes as the subprotocol
 * pair `bearer, <jwt>` (a browser cannot set headers on a WebSocket); after a drop it reconnects with
 * backoff and sends `resume` after the last position it saw, so nothing is missed; `reset` (too far behind)
 * tells the app to refetch.
 */

export type Connection = 'connecting' | 'live' | 'offline';

export interface LiveFeedHandlers {
  readonly token: () => Promise<string | null>;
  readonly onChange: (frame: TaskChangedFrame) => void;
  /** The feed cannot replay what was missed: reload everything. */
  readonly onReset: () => void;
  /** Connected (again) and caught up. */
  readonly onLive: () => void;
  readonly onConnection: (state: Connection) => void;
}

const MAX_BACKOFF_MS = 10_000;
const UNAUTHORIZED = 4401;

export class LiveFeed {
  #socket: WebSocket | null = null;
  #position: number | null = null;
  #attempt = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #stopped = false;
  readonly #handlers: LiveFeedHandlers;

  constructor(handlers: LiveFeedHandlers) {
    this.#handlers = handlers;
    addEventListener('online', this.#reconnectNow);
    addEventListener('offline', this.#dropNow);
    void this.#connect();
  }

  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
    removeEventListener('online', this.#reconnectNow);
    removeEventListener('offline', this.#dropNow);
    this.#socket?.close(1000);
  }

  #reconnectNow = (): void => {
    if (this.#socket) return;
    clearTimeout(this.#timer);
    this.#attempt = 0;
    void this.#connect();
  };

  /** The browser knows it is offline: say so now, not after the heartbeat runs out. */
  #dropNow = (): void => {
    this.#socket?.close(1000);
  };

  async #connect(): Promise<void> {
    if (this.#stopped) return;
    this.#handlers.onConnection('connecting');
    const token = await this.#handlers.token();
    if (!token || this.#stopped) { this.#handlers.onConnection('offline'); return; }
    const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`;
    const socket = new WebSocket(url, ['bearer', token]);
    this.#socket = socket;
    socket.onmessage = (message: MessageEvent<string>) => this.#receive(socket, message.data);
    socket.onclose = (event) => {
      if (this.#socket === socket) this.#socket = null;
      if (this.#stopped) return;
      this.#handlers.onConnection('offline');
      if (event.code === UNAUTHORIZED) return; // the auth layer renews or signs out; the app restarts the feed
      const wait = Math.min(MAX_BACKOFF_MS, 500 * 2 ** this.#attempt) * (0.5 + Math.random() / 2);
      this.#attempt += 1;
      this.#timer = setTimeout(() => { void this.#connect(); }, navigator.onLine ? wait : MAX_BACKOFF_MS);
    };
  }

  #receive(socket: WebSocket, data: string): void {
    let frame: ServerFrame;
    try {
      frame = JSON.parse(data) as ServerFrame;
    } catch {
      return;
    }
    switch (frame.type) {
      case 'ready':
        this.#attempt = 0;
        if (this.#position !== null && this.#position < frame.position) {
          // Replay what was missed; frames for it arrive before the live ones.
          socket.send(JSON.stringify({ type: 'resume', after: this.#position }));
        } else {
          this.#position = frame.position;
        }
        this.#handlers.onConnection('live');
        this.#handlers.onLive();
        break;
      case 'task.changed':
        this.#position = Math.max(this.#position ?? 0, frame.position);
        this.#handlers.onChange(frame);
        break;
      case 'reset':
        this.#position = frame.position;
        this.#handlers.onReset();
        break;
      default: {
        const unknown: never = frame;
        throw new Error(`unknown frame ${JSON.stringify(unknown)}`);
      }
    }
  }
}
