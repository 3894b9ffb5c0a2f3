import type { IncomingMessage } from 'node:http';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { ChildLoggerOptions } from 'pino';
import { requestLogger } from './request-logger.ts';
import { childSpan, formatTraceparent, newTrace, parseTraceparent, traceLogFields, type TraceContext } from '../../contracts/trace-context.ts';

/** Requests that start a trace of their own when they come without one: the public API and the live feed. */
const TRACED_PATHS = /^\/(?:api\/|ws(?:$|\?))/;

/**
 * This server's span of a request. A valid `traceparent` is continued (same trace id, a new span id); an
 * invalid one is replaced, never refused. Service endpoints without one get none: a bus delivery takes its
 * trace from its event, and a trace per health probe or metrics scrape would only be noise.
 */
export function traceOfRequest(raw: IncomingMessage): TraceContext | null {
  const header = raw.headers.traceparent;
  // Two traceparent headers are invalid (W3C); Node would join them with a comma, which does not parse either.
  const parent = parseTraceparent(typeof header === 'string' ? header : undefined);
  if (parent) return childSpan(parent);
  return TRACED_PATHS.test(raw.url ?? '') ? newTrace() : null;
}

/**
 * Gives every request its trace before the first log line about it: the request's child logger is made
 * with `trace_id` and `span_id` bound (fastify's childLoggerFactory runs before any hook), and the span is
 * kept for `request.trace`. The response names the server's span in a W3C `traceresponse` header, so a
 * caller that sent no traceparent still learns the trace id to look for in the logs.
 */
export function requestTracing(): {
  childLoggerFactory: (logger: FastifyBaseLogger, bindings: Record<string, unknown>, options: ChildLoggerOptions, raw: IncomingMessage) => FastifyBaseLogger;
  register(app: FastifyInstance): void;
} {
  const traces = new WeakMap<IncomingMessage, TraceContext | null>();
  return {
    childLoggerFactory(logger, bindings, options, raw) {
      const trace = traceOfRequest(raw);
      traces.set(raw, trace);
      return requestLogger(logger, { ...bindings, ...traceLogFields(trace) }, options);
    },
    register(app) {
      app.decorateRequest('trace', null);
      app.addHook('onRequest', (request, reply, done) => {
        const trace = traces.get(request.raw) ?? null;
        request.trace = trace;
        if (trace) reply.header('traceresponse', formatTraceparent(trace));
        done();
      });
    },
  };
}
