import { PRIORITIES } from '../types.ts';
import type { FieldError, Priority } from '../types.ts';

/** Position in the ordered enum: none 0 < low 1 < medium 2 < high 3 < urgent 4. Sort by this, never by name. */
export function priorityRank(priority: Priority): number {
  return PRIORITIES.indexOf(priority);
}

export function validatePriority(priority: Priority): FieldError[] {
  if (PRIORITIES.includes(priority)) return [];
  return [{ path: 'priority', message: `must be one of ${PRIORITIES.join(', ')}` }];
}
