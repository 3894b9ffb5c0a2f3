import { pooledRandomBytes } from './pooled-random.ts';
import type {} from 'fastify';

/**
 * W3C Trace Context (https://www.w3.org/TR/trace-context/): the `traceparent` that follows one change from
 * the HTTP request through the event store, the relay and the bus into every projector's log lines.
 * We record no spans; the ids exist so that logs of every service can be joined on `trace_id`.
 */
export interface TraceContext {
  /** 32 lowercase hex digits, not all zero: the whole trace. */
  readonly trace_id: string;
  /** 16 lowercase hex digits, not all zero: this participant's span (the parent of whatever it calls). */
  readonly span_id: string;
  /** 2 hex digits; bit 0 is `sampled`, the decision of the trace's root, passed on unchanged. */
  readonly flags: string;
}

const HEX = /^[\da-f]+$/;
const ZERO_TRACE = '0'.repeat(32);
const ZERO_SPAN = '0'.repeat(16);
/** version-traceid-parentid-flags with version 00, exactly 55 characters. */
const VERSION_00 = /^00-([\da-f]{32})-([\da-f]{16})-([\da-f]{2})$/;
/** A later version: at least the version 00 fields, then either the end or a dash and more. */
const LATER_VERSION = /^([\da-f]{2})-([\da-f]{32})-([\da-f]{16})-([\da-f]{2})(?:-.*)?$/;

function valid(traceId: string, spanId: string): boolean {
  return traceId !== ZERO_TRACE && spanId !== ZERO_SPAN;
}

/**
 * The trace context a `traceparent` header carries, or null when it is absent or not valid: version `ff`,
 * upper-case hex, all-zero ids, a version 00 header of another length. A later version is read as far as
 * version 00 goes, as the specification asks, and answered as version 00.
 */
export function parseTraceparent(header: string | null | undefined): TraceContext | null {
  if (!header) return null;
  const value = header.trim();
  const v00 = VERSION_00.exec(value);
  if (v00) {
    const [, traceId = '', spanId = '', flags = ''] = v00;
    return valid(traceId, spanId) ? { trace_id: traceId, span_id: spanId, flags } : null;
  }
  const later = LATER_VERSION.exec(value);
  if (!later) return null;
  const [, version = '', traceId = '', spanId = '', flags = ''] = later;
  if (version === '00' || version === 'ff' || !HEX.test(version)) return null;
  return valid(traceId, spanId) ? { trace_id: traceId, span_id: spanId, flags } : null;
}

export function formatTraceparent(context: TraceContext): string {
  return `00-${context.trace_id}-${context.span_id}-${context.flags}`;
}

function randomHex(bytes: number): string {
  for (;;) {
    const hex = pooledRandomBytes(bytes).toString('hex');
    // All zeros is the one invalid value; at 2^-64 it will not come, but an invalid id must never leave here.
    if (/[^0]/.test(hex)) return hex;
  }
}

/**
 * A new trace, for a request that came without a (valid) traceparent. Not sampled: we record no spans, and
 * the flag tells the next hop (a Dapr sidecar with tracing on samples by its parent) so.
 */
export function newTrace(): TraceContext {
  return { trace_id: randomHex(16), span_id: randomHex(8), flags: '00' };
}

/** The next participant's span in the same trace: same trace id and flags, a new span id. */
export function childSpan(parent: TraceContext): TraceContext {
  return { trace_id: parent.trace_id, span_id: randomHex(8), flags: parent.flags };
}

/** The span of work caused by an event with this traceparent; a new trace when it carries none (old events). */
export function continueTrace(traceparent: string | null | undefined): TraceContext {
  const parent = parseTraceparent(traceparent);
  return parent ? childSpan(parent) : newTrace();
}

/** The fields every log line about traced work carries, so Loki (or jq) joins the services on `trace_id`. */
export function traceLogFields(context: TraceContext | null): { trace_id: string; span_id: string } | Record<string, never> {
  return context ? { trace_id: context.trace_id, span_id: context.span_id } : {};
}

/** The same fields for an event, from its stored traceparent. */
export function eventTraceFields(traceparent: string | null | undefined): { trace_id: string; span_id: string } | Record<string, never> {
  return traceLogFields(parseTraceparent(traceparent));
}

declare module 'fastify' {
  interface FastifyRequest {
    /**
     * This server's span of the request: a child of the caller's valid traceparent, or a new trace for an
     * /api or /ws request without one. Null for service endpoints (health, metrics, bus deliveries) that
     * came without one: a bus delivery takes its trace from the event it carries.
     */
    trace: TraceContext | null;
  }
}
