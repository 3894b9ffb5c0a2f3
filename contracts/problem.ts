import { z } from 'zod';

export const FieldError = z.strictObject({ path: z.string(), message: z.string() }).meta({ id: 'FieldError' });

/** RFC 9457 problem details, with our extensions for validation errors and version conflicts. */
export const Problem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.int(),
    detail: z.string().optional(),
    instance: z.string().optional(),
    errors: z.array(FieldError).optional(),
    current_version: z.int().optional(),
  })
  .meta({ id: 'Problem' });
export type Problem = z.infer<typeof Problem>;

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

const TYPE_BASE = 'urn:todo:problem:';

export type ProblemCode =
  | 'validation' | 'unauthorized' | 'forbidden' | 'not_found' | 'already_exists' | 'version_conflict'
  | 'precondition_failed' | 'idempotency_key_reused' | 'payload_too_large' | 'unsupported_media_type'
  | 'too_many_requests' | 'not_ready' | 'unavailable' | 'internal' | 'method_not_allowed' | 'headers_too_large' | 'request_timeout'
  | 'upgrade_required';

export function problem(
  code: ProblemCode,
  status: number,
  title: string,
  extras: Omit<Partial<Problem>, 'type' | 'title' | 'status'> = {},
): Problem {
  return { type: `${TYPE_BASE}${code}`, title, status, ...extras };
}
