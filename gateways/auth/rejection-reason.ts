import { errors } from 'jose';

/**
 * Why jose rejected a token, in words a caller can act on. Only failures caused by the token itself
 * get a reason; anything else (the JWKS endpoint down, timing out, or serving a broken key set) is
 * rethrown, because answering 401 during an outage would tell callers with good tokens that their
 * tokens are bad.
 */
export function rejectionReason(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'token expired';
  if (error instanceof errors.JWTClaimValidationFailed) return claimReason(error);
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'bad signature';
  if (error instanceof errors.JOSEAlgNotAllowed) return 'unsupported algorithm';
  if (error instanceof errors.JWKSNoMatchingKey) return 'no key found';
  // Unsupported here means an unrecognised `crit` header the token demands we understand.
  if (error instanceof errors.JOSENotSupported) return 'malformed token';
  if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid) return 'malformed token';
  throw error;
}

function claimReason(error: errors.JWTClaimValidationFailed): string {
  switch (error.claim) {
    case 'iss': return 'wrong issuer';
    case 'aud': return 'wrong audience';
    case 'sub': return 'missing sub claim';
    case 'exp': return error.reason === 'missing' ? 'missing exp claim' : 'malformed token';
    // A non-numeric nbf is a malformed token, not one that becomes valid later.
    case 'nbf': return error.reason === 'check_failed' ? 'token not yet valid' : 'malformed token';
    default: return 'malformed token';
  }
}
