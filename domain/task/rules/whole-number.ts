import type { FieldError } from '../types.ts';

/**
 * An optional whole number within bounds (a quantity such as a duration in minutes): null means none. The
 * wire schema checks the same bounds; this keeps the domain's own guarantee for commands from elsewhere
 * (the recurring reactor, imports).
 */
export function wholeNumberIn(min: number, max: number) {
  return (path: string, value: number | null): FieldError[] =>
    value === null || (Number.isSafeInteger(value) && value >= min && value <= max)
      ? []
      : [{ path, message: `must be a whole number from ${min} to ${max}` }];
}
