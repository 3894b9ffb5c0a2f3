import { createLocalJWKSet, decodeJwt, decodeProtectedHeader, errors, jwtVerify } from 'jose';
import type { JSONWebKeySet, JWTVerifyGetKey } from 'jose';
import { err } from '../../domain/common/result.ts';
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

/** How many tokens' routing verifierByIssuer remembers. */
const ROUTED_TOKENS = 10_000;

/**
 * A token's `iss` and `alg` say which verifier checks it: an EdDSA token of the accounts' issuer goes to
 * their key set, every other token to the configured modes (AUTH_JWT_SECRET, AUTH_JWKS_URL) as before
 * (an HS256 token whose AUTH_ISSUER happens to be the same URL included). The header and claim only
 * choose; the chosen verifier checks the signature and the issuer, so naming either gains nothing.
 */
export function verifierByIssuer(accounts: { issuer: string; verifier: TokenVerifier }, others: TokenVerifier): TokenVerifier {
  // The choice depends on the token's text alone: a client sending the same token again is routed without
  // decoding its header and claims again (ADR 0038). Bounded: emptied when full.
  const chosen = new Map<string, boolean>();
  return {
    verify(token) {
      let account = chosen.get(token);
      if (account === undefined) {
        account = isAccountToken(token, accounts.issuer);
        if (chosen.size >= ROUTED_TOKENS) chosen.clear();
        chosen.set(token, account);
      }
      return account ? accounts.verifier.verify(token) : others.verify(token);
    },
  };
}

function isAccountToken(token: string, issuer: string): boolean {
  try {
    return decodeProtectedHeader(token).alg === ACCOUNT_ALGORITHMS[0] && decodeJwt(token).iss === issuer;
  } catch {
    return false;
  }
}
