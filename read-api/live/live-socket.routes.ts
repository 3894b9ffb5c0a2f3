import type {} from '@fastify/websocket';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { WebSocket } from 'ws';
import { z } from 'zod';
import type { RouteDocumentation } from '../../contracts/http-route.ts';
import {
  ClientFrame, CLOSE_BAD_FRAME, CLOSE_SLOW_CONSUMER, CLOSE_UNAUTHORIZED, type ServerFrame,
} from '../../contracts/live.ts';
import type { Principal } from '../../contracts/principal.ts';
import type { LiveFeed, TaskChange } from '../../contracts/ports/live-feed.ts';
import { toTaskView } from '../tasks/task-response.ts';

export interface LiveSocketObserver {
  opened(): void;
  closed(): void;
  frameSent(type: ServerFrame['type']): void;
  slowConsumerDropped(): void;
}

export interface LiveSocketDeps {
  readonly feed: LiveFeed;
  /** The caller from the Authorization header, `?access_token=`, or the `bearer, <jwt>` subprotocol. */
  readonly authenticate: (request: FastifyRequest) => Promise<Principal | null>;
  readonly observer: LiveSocketObserver;
  readonly heartbeatMs: number;
  readonly maxBufferedBytes: number;
}

const MAX_QUEUED_DURING_REPLAY = 10_000;

/** A browser cannot set headers on a WebSocket, so the token may come in the query instead. */
export const LiveSocketQuery = z.object({
  access_token: z.string().min(1).optional().describe('The bearer token, for clients that cannot send an Authorization header'),
});

const LiveSocketHeaders = z.object({
  'sec-websocket-protocol': z.string().optional().describe('`bearer, <jwt>`: the token as a subprotocol pair; the server answers `bearer`'),
});

const liveSocketDocumentation: RouteDocumentation = {
  operationId: 'liveFeed',
  summary: 'The live feed: the caller\'s task changes over a WebSocket',
  description: 'Upgrade to a WebSocket with a token in the Authorization header, `?access_token=`, or the subprotocol '
    + '`bearer, <jwt>`; without a valid one the socket closes with code 4401. The server sends a `ReadyFrame`, then a '
    + '`TaskChangedFrame` per change of the caller\'s tasks; a client may send a `ResumeFrame` to replay what it missed '
    + '(a `ResetFrame` answers when that is too far back). A frame that is not a ResumeFrame closes with 4400; a client '
    + 'that does not keep up is closed with 4008.',
  tags: ['live'],
  security: 'bearer',
  query: LiveSocketQuery,
  headers: LiveSocketHeaders,
  responses: { 101: { description: 'Switching Protocols: the WebSocket is open' } },
};

const frameOf = (change: TaskChange): ServerFrame => ({
  type: 'task.changed',
  position: change.position,
  task_id: change.task_id,
  version: change.version,
  event_type: change.event_type,
  task: change.task ? toTaskView(change.task) : null,
});

/**
 * GET /ws: per-user live changes. `resume` replays what the client missed from the event store, in log
 * order, while live changes wait in a buffer; then the buffer is flushed and the connection is live. A
 * client that cannot keep up (send buffer over the bound) is disconnected rather than allowed to grow memory.
 */
export function registerLiveSocket(app: FastifyInstance, deps: LiveSocketDeps): void {
  app.get('/ws', { websocket: true, config: { openapi: liveSocketDocumentation } }, async (socket: WebSocket, request) => {
    const principal = await deps.authenticate(request);
    if (!principal) {
      socket.close(CLOSE_UNAUTHORIZED, 'unauthorized');
      return;
    }
    deps.observer.opened();
    const log = request.log.child({ user_id: principal.user_id });
    let closed = false;

    const dropSlowConsumer = (): void => {
      closed = true;
      deps.observer.slowConsumerDropped();
      log.warn({ buffered: socket.bufferedAmount }, 'live feed client too slow; disconnecting');
      socket.close(CLOSE_SLOW_CONSUMER, 'too slow');
      setTimeout(() => socket.terminate(), 1000).unref();
    };

    const send = (frame: ServerFrame): void => {
      if (closed) return;
      if (socket.bufferedAmount > deps.maxBufferedBytes) { dropSlowConsumer(); return; }
      socket.send(JSON.stringify(frame));
      deps.observer.frameSent(frame.type);
    };

    // While a resume replays, live changes queue here, bounded like the socket buffer.
    let replaying: TaskChange[] | null = null;
    const sentPositions = new Set<number>();
    const deliver = (change: TaskChange) => {
      if (sentPositions.has(change.position)) return;
      sentPositions.add(change.position);
      send(frameOf(change));
    };
    const unsubscribe = deps.feed.subscribe(principal.user_id, (change) => {
      if (replaying) {
        replaying.push(change);
        if (replaying.length > MAX_QUEUED_DURING_REPLAY && !closed) dropSlowConsumer();
      } else {
        deliver(change);
      }
    });

    let alive = true;
    socket.on('pong', () => { alive = true; });
    const heartbeat = setInterval(() => {
      if (!alive) { socket.terminate(); return; }
      alive = false;
      socket.ping();
    }, deps.heartbeatMs);

    socket.on('close', () => {
      closed = true;
      clearInterval(heartbeat);
      unsubscribe();
      deps.observer.closed();
    });

    socket.on('message', (data: Buffer) => {
      let parsed: unknown;
      try { parsed = JSON.parse(data.toString('utf8')); } catch { parsed = null; }
      const frame = ClientFrame.safeParse(parsed);
      if (!frame.success) {
        socket.close(CLOSE_BAD_FRAME, 'expected {"type":"resume","after":<position>}');
        return;
      }
      const queue: TaskChange[] = [];
      replaying = queue;
      void deps.feed.replay(principal.user_id, frame.data.after, deliver).then(
        (outcome) => {
          if (outcome.kind === 'reset') send({ type: 'reset', position: outcome.upTo.position });
          replaying = null;
          for (const change of queue) deliver(change);
          sentPositions.clear();
        },
        (error: unknown) => {
          log.error({ err: error }, 'resume failed');
          socket.close(1011, 'resume failed');
        },
      );
    });

    send({ type: 'ready', position: deps.feed.checkpoint().position });
  });
}
