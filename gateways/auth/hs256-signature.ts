import { createHmac, createSecretKey, timingSafeEqual } from 'node:crypto';
import { UnsecuredJWT } from 'jose';
import type { JWTClaimVerificationOptions, JWTPayload, ProtectedHeaderParameters } from 'jose';

/**
 * For a secret, the claims of an HS256 token of the plain shape, checked in this thread: node:crypto's
 * HMAC-SHA256 of `header.payload` compared in constant time with the signature as sent, where jose would
 * queue the same check on WebCrypto's asynchronous job queue. Then jose's own claims checks, as jwtVerify
 * runs them (`UnsecuredJWT.decode` of the same payload: the same options, the same errors).
 *
 * Undefined when the token is not of that shape or its signature is not the canonical encoding of the
 * HMAC: jose decides those (a bad signature, a `crit` or `b64` header, a non-canonical encoding it may
 * still accept), so this path accepts exactly the tokens jose would and refuses none itself.
 */
export function hs256Claims(secret: Uint8Array): (token: string, header: ProtectedHeaderParameters, options: JWTClaimVerificationOptions) => JWTPayload | undefined {
  // Made once: handed raw bytes, createHmac makes a key of them on every call, at several times the HMAC's cost.
  const key = createSecretKey(secret);
  return (token, header, options) => {
    if (header.alg !== 'HS256' || 'crit' in header || 'b64' in header || options.typ !== undefined) return undefined;
    const payloadAt = token.indexOf('.') + 1;
    const signatureAt = token.indexOf('.', payloadAt);
    if (payloadAt <= 0 || signatureAt < 0 || token.includes('.', signatureAt + 1)) return undefined;
    const expected = Buffer.from(createHmac('sha256', key).update(token.slice(0, signatureAt)).digest('base64url'), 'latin1');
    const sent = Buffer.from(token.slice(signatureAt + 1), 'latin1');
    if (sent.length !== expected.length || !timingSafeEqual(sent, expected)) return undefined;
    return UnsecuredJWT.decode(`${UNSECURED_HEADER}.${token.slice(payloadAt, signatureAt)}.`, options).payload;
  };
}

/** `{"alg":"none"}`: the header UnsecuredJWT.decode reads the claims under (only a `typ` option would look at it). */
const UNSECURED_HEADER = Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url');
