import type { z } from 'zod';
import type { Result } from '../domain/common/result.ts';
import { err, ok } from '../domain/common/result.ts';
import { unstorableText } from '../domain/common/storable-text.ts';
import type { FieldError } from '../domain/task/types.ts';

function pathOf(path: readonly PropertyKey[]): string {
  return path.reduce<string>((text, key) => (typeof key === 'number' ? `${text}[${key}]` : text ? `${text}.${String(key)}` : String(key)), '');
}

export function toFieldErrors(error: z.ZodError, prefix = ''): FieldError[] {
  return error.issues.map((issue) => {
    const path = pathOf(issue.path);
    const unknownKeys = issue.code === 'unrecognized_keys' ? issue.keys : [];
    return {
      path: [prefix, path].filter(Boolean).join('.') || (prefix || '$'),
      message: unknownKeys.length > 0 ? `unknown field${unknownKeys.length > 1 ? 's' : ''}: ${unknownKeys.join(', ')}` : issue.message,
    };
  });
}

/**
 * Every string in untrusted input — values and keys, however deep — that no store could hold. Checked once
 * here, before any schema, so no text field, filter, id or header can forget it.
 */
export function unstorableStrings(input: unknown, prefix = ''): FieldError[] {
  const errors: FieldError[] = [];
  const visit = (value: unknown, path: readonly PropertyKey[]): void => {
    const here = (): string => [prefix, pathOf(path)].filter(Boolean).join('.') || (prefix || '$');
    if (typeof value === 'string') {
      const reason = unstorableText(value);
      if (reason !== null) errors.push({ path: here(), message: reason });
    } else if (Array.isArray(value)) {
      value.forEach((item, index) => visit(item, [...path, index]));
    } else if (typeof value === 'object' && value !== null) {
      for (const [key, item] of Object.entries(value)) {
        const reason = unstorableText(key);
        if (reason !== null) errors.push({ path: here(), message: `has a key that ${reason}` });
        else visit(item, [...path, key]);
      }
    }
  };
  visit(input, []);
  return errors;
}

/** Parses untrusted input against a contract: the value, or every problem with its path. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, prefix = ''): Result<z.output<S>, FieldError[]> {
  const unstorable = unstorableStrings(input, prefix);
  if (unstorable.length > 0) return err(unstorable);
  const parsed = schema.safeParse(input);
  return parsed.success ? ok(parsed.data) : err(toFieldErrors(parsed.error, prefix));
}
