import { describe, expect, it } from 'vitest';
import { PRIORITIES } from '../types.ts';
import type { Priority } from '../types.ts';
import { priorityRank, validatePriority } from './priority.ts';

describe('priority', () => {
  it('ranks none < low < medium < high < urgent', () =>
    expect(PRIORITIES.map(priorityRank)).toEqual([0, 1, 2, 3, 4]));

  it('sorts by rank, not by name', () => {
    const mixed: Priority[] = ['urgent', 'low', 'none', 'high', 'medium'];
    expect(mixed.sort((a, b) => priorityRank(a) - priorityRank(b))).toEqual(['none', 'low', 'medium', 'high', 'urgent']);
  });

  it.each(PRIORITIES)('accepts %s', (priority) => expect(validatePriority(priority)).toEqual([]));

  it('refuses anything else', () => {
    const unknown = 'critical';
    expect(validatePriority(unknown as Priority)).toEqual([{ path: 'priority', message: 'must be one of none, low, medium, high, urgent' }]);
  });
});
