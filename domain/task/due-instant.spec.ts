import { describe, expect, it } from 'vitest';
import { dueInstant, dueInstants, overdueFrom } from './due-instant.ts';

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

  it('gives both at once, equal to each taken alone, across DST switches and a skipped hour', () => {
    const dues = [
      { date: '2026-02-28' },
      { datetime: '2026-03-08T02:30', timezone: 'America/New_York' },
      { datetime: '2026-11-01T01:30', timezone: 'America/New_York' },
      { datetime: '2026-10-25T02:30', timezone: 'Europe/Berlin' },
      { datetime: '2026-06-15T12:00', timezone: 'Asia/Kolkata' },
    ];
    for (const due of dues) expect(dueInstants(due)).toEqual({ due_at: dueInstant(due), overdue_from: overdueFrom(due) });
    expect(dueInstants(dues[1] ?? { date: '2026-01-01' }).due_at).toBe('2026-03-08T07:30:00.000Z');
    expect(dueInstants(dues[2] ?? { date: '2026-01-01' }).due_at).toBe('2026-11-01T05:30:00.000Z');
  });
});
