import type {} from '@fastify/websocket';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { WebSocket } from 'ws';
import { z } from 'zod';
import { problemAnswer, type RouteDocumentation } from '../../contracts/http-route.ts';
import { invalidRequest, sendProblem } from '../../contracts/problem-reply.ts';
import { problem } from '../../contracts/problem.ts';
import { parseInput } from '../../contracts/validation.ts';
import {
  ClientFrame, CLOSE_BAD_FRAME, CLOSE_SLOW_CONSUMER, CLOSE_UNAUTHORIZED, type ServerFrame,
} from '../../contracts/live.ts';
import type { Principal } from '../../contracts/principal.ts';
import type { LiveFeed, TaskChange } from '../../contracts/ports/live-feed.ts';
import { toTaskView } from '../../contracts/task-response.ts';
import { ResumeWindow } from './resume-window.ts';

export interface LiveSocketObserver {
  opened(): void;
  closed(): void;
  frameSent(type: ServerFrame['type']): void;
  slowConsumerDropped(): void;
}

/** A verified caller and when its token stops being good (null: a token without `exp`, where allowed). */
export interface SocketCaller {
  readonly principal: Principal;
  readonly expiresAt: Date | null;
}

export interface LiveSocketDeps {
  readonly feed: LiveFeed;
  /** The caller from the Authorization header, `?access_token=`, or the `bearer, <jwt>` subprotocol. */
  readonly authenticate: (request: FastifyRequest) => Promise<SocketCaller | null>;
  /** The caller of a token sent on the open socket in an `authenticate` frame. */
  readonly authenticateToken: (token: string, request: FastifyRequest) => Promise<SocketCaller | null>;
  readonly observer: LiveSocketObserver;
  readonly heartbeatMs: number;
  readonly maxBufferedBytes: number;
}

const MAX_QUEUED_DURING_REPLAY = 10_000;
/** setTimeout's longest delay; a later expiry is waited for in steps. */
const MAX_TIMER_MS = 2 ** 31 - 1;

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
    + '(a `ResetFrame` answers when that is too far back). The connection closes with 4401 (reason `token expired`) '
    + 'when its token expires, unless the client sent a fresh token for the same user in an `AuthenticateFrame` before; '
    + 'a token that is bad or names another user closes with 4401 too. Any other frame closes with 4400; a client '
    + 'that does not keep up is closed with 4008.',
  tags: ['live'],
  security: 'bearer',
  query: LiveSocketQuery,
  headers: LiveSocketHeaders,
  responses: {
    101: { description: 'Switching Protocols: the WebSocket is open' },
    400: problemAnswer('Invalid query or headers; `errors` lists each one with its path'),
    401: problemAnswer('A plain HTTP request without a valid token', { 'www-authenticate': { description: 'Bearer', schema: z.string() } }),
    426: problemAnswer('A plain HTTP request: the feed only answers a WebSocket upgrade', {
      upgrade: { description: '`websocket`', schema: z.literal('websocket') },
    }),
  },
};

/**
 * A GET /ws that does not ask for an upgrade: its parts are checked as documented, then its token as for
 * any bearer route (401), then 426.
 */
const answerPlainRequest = (authenticate: LiveSocketDeps['authenticate']) => async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
  const headers = parseInput(LiveSocketHeaders, request.headers, 'headers');
  if (!headers.ok) return sendProblem(reply, invalidRequest(headers.error));
  const query = parseInput(LiveSocketQuery, request.query, 'query');
  if (!query.ok) return sendProblem(reply, invalidRequest(query.error));
  if (!(await authenticate(request))) {
    return sendProblem(reply.header('www-authenticate', 'Bearer'), problem('unauthorized', 401, 'Authentication required', { detail: 'send Authorization: Bearer <token>' }));
  }
  return sendProblem(reply.header('upgrade', 'websocket'),
    problem('upgrade_required', 426, 'Upgrade required', { detail: 'GET /ws is a WebSocket: send Connection: Upgrade and Upgrade: websocket' }));
};

/**
 * A change goes to every socket of its owner as the same bytes: rendered, serialized and encoded once, on
 * its way to the first of them, not once per socket.
 */
const framed = new WeakMap<TaskChange, Buffer>();
function frameBytes(change: TaskChange): Buffer {
  let bytes = framed.get(change);
  if (bytes === undefined) {
    bytes = Buffer.from(JSON.stringify(frameOf(change)));
    framed.set(change, bytes);
  }
  return bytes;
}

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
  app.route({ method: 'GET', url: '/ws', config: { openapi: liveSocketDocumentation }, handler: answerPlainRequest(deps.authenticate), wsHandler: async (socket: WebSocket, request) => {
    const caller = await deps.authenticate(request);
    if (!caller) {
      socket.close(CLOSE_UNAUTHORIZED, 'unauthorized');
      return;
    }
    const { principal } = caller;
    let expiresAt = caller.expiresAt;
    deps.observer.opened();
    const log = request.log.child({ user_id: principal.user_id });
    let closed = false;

    const closeWith = (code: number, reason: string): void => {
      if (closed) return;
      closed = true;
      socket.close(code, reason);
    };

    // A connection is only as good as its token: nothing is sent after it expires.
    const expired = (): boolean => expiresAt !== null && Date.now() >= expiresAt.getTime();
    let expiryTimer: NodeJS.Timeout | undefined;
    const watchExpiry = (): void => {
      clearTimeout(expiryTimer);
      if (closed || expiresAt === null) return;
      if (expired()) { closeWith(CLOSE_UNAUTHORIZED, 'token expired'); return; }
      expiryTimer = setTimeout(watchExpiry, Math.min(expiresAt.getTime() - Date.now(), MAX_TIMER_MS));
    };

    const dropSlowConsumer = (): void => {
      if (closed) return;
      deps.observer.slowConsumerDropped();
      log.warn({ buffered: socket.bufferedAmount }, 'live feed client too slow; disconnecting');
      // The close frame goes out behind what is buffered; ws destroys the socket if the close handshake
      // does not finish within its close timeout, so a client that reads again still learns why (4008).
      closeWith(CLOSE_SLOW_CONSUMER, 'too slow');
    };

    const sendText = (type: ServerFrame['type'], text: string | Buffer): void => {
      if (closed) return;
      if (expired()) { watchExpiry(); return; }
      if (socket.bufferedAmount > deps.maxBufferedBytes) { dropSlowConsumer(); return; }
      socket.send(text, { binary: false });
      deps.observer.frameSent(type);
    };
    const send = (frame: ServerFrame): void => sendText(frame.type, JSON.stringify(frame));

    // While a resume replays, live changes queue here, bounded like the socket buffer.
    let replaying: TaskChange[] | null = null;
    const resumeWindow = new ResumeWindow();
    const deliver = (change: TaskChange) => {
      if (resumeWindow.admit(change.position)) sendText('task.changed', frameBytes(change));
    };
    const unsubscribe = deps.feed.subscribe(principal.user_id, (change) => {
      if (replaying) {
        replaying.push(change);
        if (replaying.length > MAX_QUEUED_DURING_REPLAY) dropSlowConsumer();
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
      clearTimeout(expiryTimer);
      unsubscribe();
      deps.observer.closed();
    });

    socket.on('message', (data: Buffer) => {
      let parsed: unknown;
      try { parsed = JSON.parse(data.toString('utf8')); } catch { parsed = null; }
      const frame = ClientFrame.safeParse(parsed);
      if (!frame.success) {
        closeWith(CLOSE_BAD_FRAME, 'expected {"type":"resume","after":<position>} or {"type":"authenticate","token":<jwt>}');
        return;
      }
      if (closed) return;
      switch (frame.data.type) {
        case 'authenticate':
          void deps.authenticateToken(frame.data.token, request).then((fresh) => {
            if (!fresh || fresh.principal.user_id !== principal.user_id) { closeWith(CLOSE_UNAUTHORIZED, 'unauthorized'); return; }
            expiresAt = fresh.expiresAt;
            watchExpiry();
          });
          return;
        case 'resume': {
          if (expired()) { watchExpiry(); return; }
          const queue: TaskChange[] = [];
          replaying = queue;
          resumeWindow.open();
          void deps.feed.replay(principal.user_id, frame.data.after, deliver).then(
            (outcome) => {
              if (outcome.kind === 'reset') send({ type: 'reset', position: outcome.upTo.position });
              replaying = null;
              for (const change of queue) deliver(change);
              resumeWindow.close();
            },
            (error: unknown) => {
              log.error({ err: error }, 'resume failed');
              closeWith(1011, 'resume failed');
            },
          );
          return;
        }
      }
    });

    watchExpiry();
    send({ type: 'ready', position: deps.feed.checkpoint().position });
  } });
}
