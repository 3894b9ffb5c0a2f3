import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, settle, timeliness } from './delivery-policy.ts';

const fireAt = new Date('2030-01-01T09:00:00Z');
const after = (ms: number) => new Date(fireAt.getTime() + ms);
const policy = { ...DEFAULT_POLICY, maxLatenessMs: 60 * 60_000 };

describe('when a reminder goes out', () => {
  it('is on time within a minute of its fire time, late after that, and missed beyond the bound', () => {
    expect(timeliness(fireAt, after(0), policy)).toBe('on_time');
    expect(timeliness(fireAt, after(60_000), policy)).toBe('on_time');
    expect(timeliness(fireAt, after(60_001), policy)).toBe('late');
    expect(timeliness(fireAt, after(60 * 60_000), policy)).toBe('late');
    expect(timeliness(fireAt, after(60 * 60_000 + 1), policy)).toBe('missed');
  });
});

describe('what a try leaves on the record', () => {
  it('a send is recorded with its channel and whether it was late', () => {
    expect(settle({ ok: true, via: 'log', detail: null }, 1, fireAt, after(5 * 60_000), policy))
      .toEqual({ status: 'sent', delivered_via: 'log', late: true, sent_at: after(5 * 60_000), detail: null });
  });

  it('a transient failure is retried with a growing backoff until the tries run out', () => {
    const transient = { ok: false, retryable: true, error: 'SendGrid answered 503' } as const;
    expect(settle(transient, 1, fireAt, after(0), policy)).toEqual({ status: 'retrying', next_attempt_at: after(30_000), last_error: 'SendGrid answered 503' });
    expect(settle(transient, 2, fireAt, after(0), policy)).toMatchObject({ status: 'retrying', next_attempt_at: after(60_000) });
    expect(settle(transient, 5, fireAt, after(0), policy)).toEqual({ status: 'failed', last_error: 'SendGrid answered 503 (gave up after 5 attempts)' });
  });

  it('a permanent failure is final at once', () => {
    expect(settle({ ok: false, retryable: false, error: 'SendGrid answered 400' }, 1, fireAt, after(0), policy))
      .toEqual({ status: 'failed', last_error: 'SendGrid answered 400' });
  });
});
