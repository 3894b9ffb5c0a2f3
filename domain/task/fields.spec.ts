import { describe, expect, it } from 'vitest';
import { defaultFields } from './testing/task-fixtures.ts';
import type { TaskFields } from './types.ts';
import { validateFields } from './fields.ts';

describe('validateFields', () => {
  it('accepts the plainest task', () => expect(validateFields(defaultFields)).toEqual([]));

  it('accepts a task using every field at its limits', () => {
    const full: TaskFields = {
      title: 'x'.repeat(200),
      description: 'x'.repeat(10_000),
      priority: 'urgent',
      tags: Array.from({ length: 20 }, (_, i) => `${i}`.padEnd(50, 'x')),
      due: { datetime: '2026-11-01T01:30', timezone: 'America/New_York' },
      reminders: Array.from({ length: 10 }, (_, i) => ({ before_minutes: i * 60, channels: ['email', 'push'] as const })),
      recurrence: { rrule: 'FREQ=YEARLY;BYMONTH=11;BYDAY=1SU;UNTIL=20301231', anchor: 'due' },
      estimate_minutes: 100_000,
    };
    expect(validateFields(full)).toEqual([]);
  });

  it('reports every broken rule, in field order, including cross-field ones', () =>
    expect(validateFields({
      title: '',
      description: 'x'.repeat(10_001),
      priority: 'none',
      tags: [''],
      due: null,
      reminders: [{ before_minutes: 5, channels: [] }],
      recurrence: { rrule: 'FREQ=DAILY', anchor: 'due' },
      estimate_minutes: 0,
    }).map((error) => error.path)).toEqual([
      'title', 'description', 'tags[0]', 'reminders[0].before_minutes', 'reminders[0].channels', 'recurrence.anchor', 'estimate_minutes',
    ]));
});
