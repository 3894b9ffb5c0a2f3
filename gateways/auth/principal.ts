import type { JWTPayload } from 'jose';
import { err, ok } from '../../domain/common/result.ts';
import type { Result } from '../../domain/common/result.ts';

import type { Principal } from '../../contracts/principal.ts';

export type { Principal };

/** Every rejection is a 401; the reason is for logs and the problem detail, not for branching. */
export type AuthFailure = { code: 'invalid_token'; reason: string };

export const invalidToken = (reason: string): AuthFailure => ({ code: 'invalid_token', reason });

const isStringArray = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every((entry: unknown) => typeof entry === 'string');

/**
 * Claims of a token whose signature and time window are already verified. A claim of the wrong type
 * rejects the token instead of being ignored: `roles: "admin"` must not quietly become "no roles",
 * and must certainly not become admin.
 */
export function principalFromClaims(claims: JWTPayload): Result<Principal, AuthFailure> {
  const { sub, email, roles } = claims;
  if (typeof sub !== 'string' || sub.trim() === '') return err(invalidToken('missing sub claim'));
  if (email !== undefined && email !== null && typeof email !== 'string') return err(invalidToken('malformed token'));
  if (roles !== undefined && !isStringArray(roles)) return err(invalidToken('malformed token'));
  const granted = roles ?? [];
  return ok({
    user_id: sub,
    email: typeof email === 'string' ? email : null,
    roles: granted,
    is_admin: granted.includes('admin'),
  });
}
