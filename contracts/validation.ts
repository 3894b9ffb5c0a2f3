import type { z } from 'zod';
import type { Result } from '../domain/shared/result.ts';
import { err, ok } from '../domain/shared/result.ts';
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

/** Parses untrusted input against a contract: the value, or every problem with its path. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, prefix = ''): Result<z.output<S>, FieldError[]> {
  const parsed = schema.safeParse(input);
  return parsed.success ? ok(parsed.data) : err(toFieldErrors(parsed.error, prefix));
}
