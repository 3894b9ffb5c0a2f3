import { describe, expect, it } from 'vitest';
import type { Anchor } from '../types.ts';
import { validateRecurrence } from './recurrence.ts';

const due = { date: '2026-04-01' };

describe('recurrence', () => {
  it('may be absent', () => expect(validateRecurrence(null, null)).toEqual([]));
  it('accepts a valid rule anchored on the due date', () => expect(validateRecurrence({ rrule: 'FREQ=MONTHLY;BYMONTHDAY=-1', anchor: 'due' }, due)).toEqual([]));
  it('accepts a rule anchored on completion without a due date', () =>
    expect(validateRecurrence({ rrule: 'FREQ=DAILY;INTERVAL=3', anchor: 'completion' }, null)).toEqual([]));
  it('refuses a rule anchored on a due date the task does not have', () =>
    expect(validateRecurrence({ rrule: 'FREQ=DAILY', anchor: 'due' }, null)).toEqual([
      { path: 'recurrence.anchor', message: 'anchor "due" needs the task to have a due date; set due, or anchor on completion' },
    ]));
  it('refuses an unknown anchor', () => {
    const start = 'start';
    expect(validateRecurrence({ rrule: 'FREQ=DAILY', anchor: start as Anchor }, due))
      .toEqual([{ path: 'recurrence.anchor', message: 'must be one of due, completion' }]);
  });
  it('reports the problems of the rule at recurrence.rrule', () =>
    expect(validateRecurrence({ rrule: 'FREQ=DAILY;BYHOUR=9;COUNT=0', anchor: 'due' }, due)).toEqual([
      { path: 'recurrence.rrule', message: 'BYHOUR is not supported' },
      { path: 'recurrence.rrule', message: 'COUNT must be an integer from 1 to 10000 (got "0")' },
    ]));
});
