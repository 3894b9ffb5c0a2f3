import { describe, expect, it } from 'vitest';
import { dueInstant, overdueFrom } from './due-instant.ts';

describe('the instants of a due', () => {
  it('takes a date-only due at the start of its UTC day, overdue from the next', () => {
    expect(dueInstant({ date: '2026-12-31' })).toBe('2026-12-31T00:00:00.000Z');
    expect(overdueFrom({ date: '2026-12-31' })).toBe('2027-01-01T00:00:00.000Z');
  });

  it('takes a date-time due in its own zone, overdue from that instant', () => {
    const due = { datetime: '2026-07-01T09:00', timezone: 'Europe/Berlin' };
    expect(dueInstant(due)).toBe('2026-07-01T07:00:00.000Z');
    expect(overdueFrom(due)).toBe('2026-07-01T07:00:00.000Z');
  });
});
