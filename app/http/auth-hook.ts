import type { FastifyInstance } from 'fastify';
import { problem } from '../../contracts/problem.ts';
import { bindsInPlace } from './request-logger.ts';
import { bearerToken } from '../../gateways/auth/bearer.ts';
import type { TokenVerifier } from '../../gateways/auth/verify-token.ts';
import { sendProblem } from '../../contracts/problem-reply.ts';

export const OPENAPI_PATH = '/api/openapi.json';

const PUBLIC = new Set([OPENAPI_PATH]);
/** The accounts' own endpoints: signing in is how a token is had; they check the session cookie themselves. */
const ACCOUNTS_PREFIX = '/api/auth/';

/** Whether a request to this path must bring a verified bearer token: every /api route but the document and the accounts'. */
export const needsBearerToken = (path: string): boolean => path.startsWith('/api/') && !PUBLIC.has(path) && !path.startsWith(ACCOUNTS_PREFIX);

/** Every /api route needs a verified bearer token; the principal and user_id are attached to the request. */
export function requireBearerToken(app: FastifyInstance, verifier: TokenVerifier): void {
  app.addHook('onRequest', async (request, reply) => {
    if (!needsBearerToken(request.url.split('?')[0] ?? '')) return;
    const token = bearerToken(request.headers.authorization);
    if (!token) {
      reply.header('www-authenticate', 'Bearer');
      return sendProblem(reply, problem('unauthorized', 401, 'Authentication required', { detail: 'send Authorization: Bearer <token>' }));
    }
    let verified;
    try {
      verified = await verifier.verify(token);
    } catch (error) {
      // The key set could not be fetched: the token may be fine, so this is our outage, not a 401.
      request.log.error({ err: error }, 'token verification unavailable');
      reply.header('retry-after', '5');
      return sendProblem(reply, problem('not_ready', 503, 'Token verification is unavailable', { detail: 'try again shortly' }));
    }
    if (!verified.ok) {
      reply.header('www-authenticate', `Bearer error="invalid_token", error_description="${verified.error.reason}"`);
      return sendProblem(reply, problem('unauthorized', 401, 'Invalid token', { detail: verified.error.reason }));
    }
    request.principal = verified.value;
    const bindings = { user_id: verified.value.user_id };
    // The request's own logger (request-logger.ts) takes the binding in place: no second child per request.
    if (bindsInPlace(request.log)) {
      request.log.setBindings(bindings);
    } else {
      request.log = request.log.child(bindings);
      reply.log = request.log;
    }
  });
}
