import { describe, expect, it } from 'vitest';
import { childSpan, continueTrace, formatTraceparent, newTrace, parseTraceparent } from './trace-context.ts';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN = '00f067aa0ba902b7';
const VALID = `00-${TRACE}-${SPAN}-01`;

describe('W3C traceparent', () => {
  it('reads a version 00 header', () =>
    expect(parseTraceparent(VALID)).toEqual({ trace_id: TRACE, span_id: SPAN, flags: '01' }));

  it.each([
    ['absent', undefined],
    ['empty', ''],
    ['an all-zero trace id', `00-${'0'.repeat(32)}-${SPAN}-01`],
    ['an all-zero parent id', `00-${TRACE}-${'0'.repeat(16)}-01`],
    ['version ff', `ff-${TRACE}-${SPAN}-01`],
    ['upper-case hex', `00-${TRACE.toUpperCase()}-${SPAN}-01`],
    ['a short trace id', `00-${TRACE.slice(1)}-${SPAN}-01`],
    ['version 00 with more after the flags', `${VALID}-extra`],
    ['two headers joined', `${VALID}, ${VALID}`],
    ['garbage', 'not-a-traceparent'],
  ])('refuses %s', (_case, header) => expect(parseTraceparent(header)).toBeNull());

  it('reads a later version as far as version 00 goes', () => {
    expect(parseTraceparent(`01-${TRACE}-${SPAN}-01-what-comes-next`)).toEqual({ trace_id: TRACE, span_id: SPAN, flags: '01' });
    expect(parseTraceparent(`01-${TRACE}-${SPAN}-01`)).toEqual({ trace_id: TRACE, span_id: SPAN, flags: '01' });
  });

  it('writes version 00', () =>
    expect(formatTraceparent({ trace_id: TRACE, span_id: SPAN, flags: '01' })).toBe(VALID));

  it('starts a new trace with random, valid, unsampled ids', () => {
    const a = newTrace();
    const b = newTrace();
    expect(parseTraceparent(formatTraceparent(a))).toEqual(a);
    expect(a.flags).toBe('00');
    expect(a.trace_id).not.toBe(b.trace_id);
  });

  it('continues a trace in a new span, keeping the trace id and the sampling decision', () => {
    const parent = { trace_id: TRACE, span_id: SPAN, flags: '01' };
    const child = childSpan(parent);
    expect(child).toEqual({ trace_id: TRACE, span_id: expect.stringMatching(/^[\da-f]{16}$/) as string, flags: '01' });
    expect(child.span_id).not.toBe(SPAN);
  });

  it('continues an event\'s trace, or starts one for an event that has none', () => {
    expect(continueTrace(VALID).trace_id).toBe(TRACE);
    expect(parseTraceparent(formatTraceparent(continueTrace(null)))).not.toBeNull();
  });
});
