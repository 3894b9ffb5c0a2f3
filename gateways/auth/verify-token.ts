import { createRemoteJWKSet, decodeJwt, decodeProtectedHeader, errors, jwtVerify } from 'jose';
import type { CryptoKey, JWTPayload, JWTVerifyOptions, ProtectedHeaderParameters, RemoteJWKSet } from 'jose';
import { err, ok } from '../../domain/common/result.ts';
import { unstorableText } from '../../domain/common/storable-text.ts';
import type { Result } from '../../domain/common/result.ts';
import { invalidToken, principalFromClaims } from './principal.ts';
import type { AuthFailure, Principal } from './principal.ts';
import { rejectionReason } from './rejection-reason.ts';
import { verifiedTokens } from './verified-tokens.ts';
import { hs256Claims } from './hs256-signature.ts';

export type { AuthFailure, Principal } from './principal.ts';

export interface TokenVerifier {
  /** Resolves to an error value for any bad token; rejects only when the key set cannot be fetched. */
  verify(token: string): Promise<Result<Principal, AuthFailure>>;
}

export interface TokenVerifierConfig {
  /** Shared HS256 secret. */
  secret?: string;
  /** JSON Web Key Set of an identity provider signing with asymmetric keys. */
  jwksUrl?: string;
  issuer?: string;
  audience?: string;
  clockToleranceSeconds?: number;
  /** Refuse tokens without `exp`, which would be good forever. */
  requireExpiry?: boolean;
  /** Refuse tokens whose `exp` is further than this many seconds ahead. */
  maxLifetimeSeconds?: number;
}

const SECRET_ALGORITHMS = ['HS256'];
/** Distinct live tokens remembered as verified: a few hundred bytes each. */
const VERIFIED_TOKENS = 10_000;
const JWKS_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'ES256', 'ES384', 'EdDSA'];

interface KeySource {
  algorithms: string[];
  key: Uint8Array | RemoteJWKSet;
  /** The claims of a token this source's key checks in this thread, or undefined to leave it to jose. */
  inThread?: ReturnType<typeof hs256Claims>;
}

/**
 * Each key source accepts only its own algorithms, so a token cannot choose how it is checked: an
 * HS256 token is never verified against a public key used as an HMAC secret, and `alg: none` matches
 * no source at all.
 */
export function createTokenVerifier(config: TokenVerifierConfig): TokenVerifier {
  const sources = keySources(config);
  const options: JWTVerifyOptions = {
    requiredClaims: config.requireExpiry === true ? ['sub', 'exp'] : ['sub'],
    ...(config.issuer === undefined ? {} : { issuer: config.issuer }),
    ...(config.audience === undefined ? {} : { audience: config.audience }),
    ...(config.clockToleranceSeconds === undefined ? {} : { clockTolerance: config.clockToleranceSeconds }),
  };

  // Only tokens the shared secret signed: a key set may drop a key, and a token it signed must fail then.
  const remembered = verifiedTokens({ capacity: VERIFIED_TOKENS, clockToleranceSeconds: config.clockToleranceSeconds ?? 0 });

  return {
    async verify(token) {
      const known = remembered.find(token, Date.now());
      if (known) return ok(known);
      const header = protectedHeader(token);
      const alg = header?.alg;
      if (header === null || typeof alg !== 'string' || alg === '') return err(invalidToken('malformed token'));
      const source = sources.find((candidate) => candidate.algorithms.includes(alg));
      if (source === undefined) return err(invalidToken('unsupported algorithm'));
      let claims: JWTPayload;
      try {
        claims = source.inThread?.(token, header, options) ?? await verifiedClaims(token, source, { ...options, algorithms: source.algorithms });
      } catch (error) {
        return err(invalidToken(rejectionReason(error)));
      }
      if (!storableClaims(claims)) return err(invalidToken('malformed token'));
      if (livesTooLong(claims, config)) return err(invalidToken('token lifetime over the maximum'));
      const principal = principalFromClaims(claims);
      if (principal.ok && source.algorithms === SECRET_ALGORITHMS && typeof claims.exp === 'number') remembered.remember(token, principal.value, claims.exp);
      return principal;
    },
  };
}

/**
 * The caller's id and email end up in events and read models: a token whose `sub` or `email` no store can
 * hold (a NUL, a lone surrogate) names no user this service can have, so it is as invalid as a bad signature.
 */
function storableClaims({ sub, email }: JWTPayload): boolean {
  return [sub, email].every((claim) => typeof claim !== 'string' || unstorableText(claim) === null);
}

function livesTooLong(claims: JWTPayload, config: TokenVerifierConfig): boolean {
  if (config.maxLifetimeSeconds === undefined || claims.exp === undefined) return false;
  const now = Math.floor(Date.now() / 1000);
  return claims.exp - now > config.maxLifetimeSeconds + (config.clockToleranceSeconds ?? 0);
}

/** When a token (already verified) stops being good, or null when it has no `exp`. */
export function tokenExpiry(token: string): Date | null {
  try {
    const { exp } = decodeJwt(token);
    return typeof exp === 'number' ? new Date(exp * 1000) : null;
  } catch {
    return null;
  }
}

function keySources(config: TokenVerifierConfig): KeySource[] {
  const sources: KeySource[] = [];
  if (config.secret !== undefined) {
    // An empty secret would make every token signed with an empty key valid.
    if (config.secret === '') throw new Error('auth: the HS256 secret must not be empty');
    const key = new TextEncoder().encode(config.secret);
    sources.push({ algorithms: SECRET_ALGORITHMS, key, inThread: hs256Claims(key) });
  }
  if (config.jwksUrl !== undefined) {
    sources.push({ algorithms: JWKS_ALGORITHMS, key: createRemoteJWKSet(new URL(config.jwksUrl)) });
  }
  if (sources.length === 0) throw new Error('auth: configure a secret (HS256) or a JWKS URL');
  return sources;
}

function protectedHeader(token: string): ProtectedHeaderParameters | null {
  try {
    return decodeProtectedHeader(token);
  } catch {
    return null;
  }
}

async function verifiedClaims(token: string, source: KeySource, options: JWTVerifyOptions): Promise<JWTPayload> {
  try {
    return (await jwtVerify(token, source.key, options)).payload;
  } catch (error) {
    if (!(error instanceof errors.JWKSMultipleMatchingKeys)) throw error;
    return claimsFromAnyCandidate(token, error, options);
  }
}

/**
 * A key set may hold several keys a token without `kid` could match (e.g. during rotation); the token
 * is good if any of them verifies it.
 */
async function claimsFromAnyCandidate(
  token: string,
  candidates: AsyncIterable<CryptoKey>,
  options: JWTVerifyOptions,
): Promise<JWTPayload> {
  for await (const key of candidates) {
    try {
      return (await jwtVerify(token, key, options)).payload;
    } catch (error) {
      if (!(error instanceof errors.JWSSignatureVerificationFailed)) throw error;
    }
  }
  throw new errors.JWSSignatureVerificationFailed();
}
