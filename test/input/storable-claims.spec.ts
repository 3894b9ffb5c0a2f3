import { SignJWT, type JWTPayload } from 'jose';
import { describe, expect, it } from 'vitest';
import { createTokenVerifier } from '../../gateways/auth/verify-token.ts';

/* A validly signed token whose subject or email no store can hold names no user: it is refused like a forged one. */

const SECRET = 'test-secret-that-is-long-enough-for-hs256';
const NOW = Math.floor(Date.now() / 1000);
const verifier = createTokenVerifier({ secret: SECRET });
const hs256 = (claims: JWTPayload): Promise<string> =>
  new SignJWT({ iat: NOW, exp: NOW + 3600, ...claims }).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(new TextEncoder().encode(SECRET));

describe('a token whose claims no store can hold', () => {
  it.each([
    ['a sub with NUL', { sub: 'user\u0000-1' }],
    ['a sub with a lone surrogate', { sub: 'user-\uD800' }],
    ['an email with NUL', { sub: 'user-1', email: 'ada\u0000@example.com' }],
  ])('is invalid: %s', async (_name, claims) => {
    expect(await verifier.verify(await hs256(claims))).toEqual({ ok: false, error: { code: 'invalid_token', reason: 'malformed token' } });
  });

  it('is valid with astral characters, which every store holds', async () => {
    expect(await verifier.verify(await hs256({ sub: 'user-\u{1F600}' }))).toMatchObject({ ok: true, value: { user_id: 'user-\u{1F600}' } });
  });
});
