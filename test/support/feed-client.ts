import WebSocket from 'ws';

export interface Frame { type: string; position: number; task_id?: string; version?: number; event_type?: string; task?: { title: string } | null }

/** A real WebSocket client that collects frames and lets a test await the next ones. */
export class FeedClient {
  readonly frames: Frame[] = [];
  readonly socket: WebSocket;
  readonly opened: Promise<void>;
  readonly closed: Promise<{ code: number; reason: string }>;
  private waiters: Array<() => void> = [];
  private closeFrame: { code: number; reason: string } | null = null;

  constructor(url: string, options: { headers?: Record<string, string>; protocols?: string[] } = {}) {
    this.socket = new WebSocket(url, options.protocols ?? [], { headers: options.headers ?? {} });
    this.opened = new Promise((resolve, reject) => { this.socket.once('open', () => resolve()); this.socket.once('error', reject); });
    this.closed = new Promise((resolve) => this.socket.once('close', (code, reason) => {
      this.closeFrame = { code, reason: reason.toString() };
      resolve(this.closeFrame);
      for (const wake of this.waiters.splice(0)) wake();
    }));
    this.socket.on('message', (data: Buffer) => {
      this.frames.push(JSON.parse(data.toString('utf8')) as Frame);
      for (const wake of this.waiters.splice(0)) wake();
    });
  }

  /** The frames once `predicate` holds; fails at once if the socket closes first (no frame can come then). */
  async until(predicate: (frames: Frame[]) => boolean): Promise<Frame[]> {
    while (!predicate(this.frames)) {
      if (this.closeFrame) throw new Error(`the socket closed (${this.closeFrame.code} ${this.closeFrame.reason}) before the frames awaited came`);
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
    return this.frames;
  }

  changes(): Frame[] { return this.frames.filter((f) => f.type === 'task.changed'); }
  send(frame: unknown): void { this.socket.send(JSON.stringify(frame)); }
  close(): void { this.socket.close(); }
}
