import { createLocalJWKSet, decodeJwt, errors, jwtVerify } from 'jose';
import type { JSONWebKeySet, JWTVerifyGetKey } from 'jose';
import { err } from '../../domain/shared/result.ts';
import { invalidToken, principalFromClaims } from './principal.ts';
import { rejectionReason } from './rejection-reason.ts';
import type { TokenVerifier } from './verify-token.ts';

export interface AccountTokenVerifierConfig {
  /** The accounts' public keys, read in process from their table. */
  readonly publicKeys: () => Promise<JSONWebKeySet>;
  readonly issuer: string;
  readonly audience: string;
}

/** The JWT plugin signs with Ed25519 (gateways/accounts/better-auth.ts); nothing else is an account token. */
const ACCOUNT_ALGORITHMS = ['EdDSA'];

/**
 * Verifies the tokens the accounts issue against their key set, read from the database instead of over
 * HTTP from our own /api/auth/jwks. The set is read on first use and again when a token names a key it
 * does not hold (a key made or rotated since); concurrent re-reads share one query.
 */
export function createAccountTokenVerifier(config: AccountTokenVerifierConfig): TokenVerifier {
  let keys: Promise<JWTVerifyGetKey> | undefined;
  const read = () => {
    const reading = config.publicKeys().then((set) => createLocalJWKSet(set));
    keys = reading;
    // A failed read is not kept: the next token reads again.
    reading.catch(() => { if (keys === reading) keys = undefined; });
    return reading;
  };
  // Tokens that found the same set stale share the one re-read.
  const reread = (stale: Promise<JWTVerifyGetKey>) => (keys === stale || keys === undefined ? read() : keys);
  const options = { issuer: config.issuer, audience: config.audience, algorithms: ACCOUNT_ALGORITHMS, requiredClaims: ['sub', 'exp'] };

  return {
    async verify(token) {
      const current = keys ?? read();
      try {
        return principalFromClaims((await jwtVerify(token, await current, options)).payload);
      } catch (error) {
        if (!(error instanceof errors.JWKSNoMatchingKey)) return err(invalidToken(rejectionReason(error)));
      }
      try {
        return principalFromClaims((await jwtVerify(token, await reread(current), options)).payload);
      } catch (error) {
        return err(invalidToken(rejectionReason(error)));
      }
    },
  };
}

/**
 * A token's `iss` says which verifier checks it: the accounts' own tokens go to their key set, every other
 * token to the configured modes (AUTH_JWT_SECRET, AUTH_JWKS_URL) as before. The claim only chooses; the
 * chosen verifier checks the signature and the issuer again, so claiming an issuer gains nothing.
 */
export function verifierByIssuer(accounts: { issuer: string; verifier: TokenVerifier }, others: TokenVerifier): TokenVerifier {
  return {
    verify(token) {
      return unverifiedIssuer(token) === accounts.issuer ? accounts.verifier.verify(token) : others.verify(token);
    },
  };
}

function unverifiedIssuer(token: string): string | undefined {
  try {
    return decodeJwt(token).iss;
  } catch {
    return undefined;
  }
}
