import type { FastifyRequest } from 'fastify';
import { Counter, Gauge, type Registry } from 'prom-client';
import type { Principal } from '../contracts/principal.ts';
import { bearerToken, tokenFromSubprotocol } from '../gateways/auth/bearer.ts';
import type { TokenVerifier } from '../gateways/auth/verify-token.ts';
import { LiveSocketQuery, type LiveSocketObserver } from '../read-api/live/live-socket.routes.ts';

/** A WebSocket client passes its token in the Authorization header, `?access_token=`, or the subprotocol. */
export function socketAuthenticator(verifier: TokenVerifier): (request: FastifyRequest) => Promise<Principal | null> {
  return async (request) => {
    const query = LiveSocketQuery.safeParse(request.query);
    const fromQuery = query.success ? query.data.access_token ?? null : null;
    const protocol = request.headers['sec-websocket-protocol'];
    const token = bearerToken(request.headers.authorization) ?? fromQuery ?? tokenFromSubprotocol(typeof protocol === 'string' ? protocol : undefined);
    if (!token) return null;
    try {
      const verified = await verifier.verify(token);
      return verified.ok ? verified.value : null;
    } catch (error) {
      request.log.error({ err: error }, 'token verification unavailable');
      return null;
    }
  };
}

export function liveSocketMetrics(registry: Registry): LiveSocketObserver {
  const active = new Gauge({ name: 'websocket_connections_active', help: 'Open live-feed WebSocket connections', registers: [registry] });
  const frames = new Counter({ name: 'websocket_frames_sent_total', help: 'Frames sent to live-feed clients, by type', labelNames: ['type'] as const, registers: [registry] });
  const slow = new Counter({ name: 'websocket_slow_consumer_disconnects_total', help: 'Clients disconnected for not keeping up', registers: [registry] });
  return {
    opened: () => active.inc(),
    closed: () => active.dec(),
    frameSent: (type) => frames.inc({ type }),
    slowConsumerDropped: () => slow.inc(),
  };
}
