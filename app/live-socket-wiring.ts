import type { FastifyRequest } from 'fastify';
import { Counter, Gauge, type Registry } from 'prom-client';
import type { ServerFrame } from '../contracts/live.ts';
import { bearerToken, tokenFromSubprotocol } from '../gateways/auth/bearer.ts';
import { tokenExpiry, type TokenVerifier } from '../gateways/auth/verify-token.ts';
import { LiveSocketQuery, type LiveSocketDeps, type LiveSocketObserver, type SocketCaller } from '../read-api/live/live-socket.routes.ts';

/**
 * A WebSocket client passes its token in the Authorization header, `?access_token=`, or the subprotocol
 * when it connects, and may pass a fresh one on the open socket before the first expires.
 */
export function socketAuthenticator(verifier: TokenVerifier): Pick<LiveSocketDeps, 'authenticate' | 'authenticateToken'> {
  const authenticateToken = async (token: string, request: FastifyRequest): Promise<SocketCaller | null> => {
    try {
      const verified = await verifier.verify(token);
      return verified.ok ? { principal: verified.value, expiresAt: tokenExpiry(token) } : null;
    } catch (error) {
      request.log.error({ err: error }, 'token verification unavailable');
      return null;
    }
  };
  return {
    authenticateToken,
    async authenticate(request) {
      const query = LiveSocketQuery.safeParse(request.query);
      const fromQuery = query.success ? query.data.access_token ?? null : null;
      const protocol = request.headers['sec-websocket-protocol'];
      const token = bearerToken(request.headers.authorization) ?? fromQuery ?? tokenFromSubprotocol(typeof protocol === 'string' ? protocol : undefined);
      return token ? authenticateToken(token, request) : null;
    },
  };
}

export function liveSocketMetrics(registry: Registry): LiveSocketObserver {
  const active = new Gauge({ name: 'websocket_connections_active', help: 'Open live-feed WebSocket connections', registers: [registry] });
  const frames = new Counter({ name: 'websocket_frames_sent_total', help: 'Frames sent to live-feed clients, by type', labelNames: ['type'] as const, registers: [registry] });
  const frameCounters = {
    ready: frames.labels({ type: 'ready' }), 'task.changed': frames.labels({ type: 'task.changed' }), reset: frames.labels({ type: 'reset' }),
  } satisfies Record<ServerFrame['type'], unknown>;
  const slow = new Counter({ name: 'websocket_slow_consumer_disconnects_total', help: 'Clients disconnected for not keeping up', registers: [registry] });
  return {
    opened: () => active.inc(),
    closed: () => active.dec(),
    // One frame per socket of an owner for each change: the labelled child is looked up once per type.
    frameSent: (type) => frameCounters[type].inc(),
    slowConsumerDropped: () => slow.inc(),
  };
}
