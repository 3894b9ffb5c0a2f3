import { SignJWT, type JWTPayload } from 'jose';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../app/config.ts';
import { mintToken } from './mint-token.ts';
import { createTokenVerifier, tokenExpiry } from './verify-token.ts';

const SECRET = 'test-secret-that-is-long-enough-for-hs256';
const NOW = Math.floor(Date.now() / 1000);
const DAY = 86_400;

const hs256 = (claims: JWTPayload): Promise<string> =>
  new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(new TextEncoder().encode(SECRET));

describe('a verifier that requires exp and bounds the lifetime', () => {
  const verifier = createTokenVerifier({ secret: SECRET, requireExpiry: true, maxLifetimeSeconds: 30 * DAY });

  it('rejects a token without exp, which would be good forever', async () => {
    expect(await verifier.verify(await hs256({ sub: 'user-1', iat: NOW }))).toMatchObject({ ok: false, error: { code: 'invalid_token' } });
  });

  it('rejects a token that lives longer than the maximum', async () => {
    const reply = await verifier.verify(await hs256({ sub: 'user-1', iat: NOW, exp: NOW + 31 * DAY }));
    expect(reply).toEqual({ ok: false, error: { code: 'invalid_token', reason: 'token lifetime over the maximum' } });
  });

  it('accepts the 30-day tokens `npm run token` mints', async () => {
    expect(await verifier.verify(await mintToken({ secret: SECRET, userId: 'user-1' }))).toMatchObject({ ok: true });
  });
});

describe('a verifier that does not require exp', () => {
  it('accepts a token without one', async () => {
    const verifier = createTokenVerifier({ secret: SECRET, requireExpiry: false });
    expect(await verifier.verify(await hs256({ sub: 'user-1' }))).toMatchObject({ ok: true });
  });
});

describe('token lifetime configuration', () => {
  it('requires exp by default, with a 30-day maximum lifetime', () => {
    const config = loadConfig({});
    expect(config.AUTH_REQUIRE_EXP).toBe(true);
    expect(config.AUTH_MAX_TOKEN_LIFETIME).toBe(30 * DAY);
  });

  it('reads AUTH_REQUIRE_EXP=false and a lifetime in seconds or with a unit', () => {
    expect(loadConfig({ AUTH_REQUIRE_EXP: 'false' }).AUTH_REQUIRE_EXP).toBe(false);
    expect(loadConfig({ AUTH_MAX_TOKEN_LIFETIME: '3600' }).AUTH_MAX_TOKEN_LIFETIME).toBe(3600);
    expect(loadConfig({ AUTH_MAX_TOKEN_LIFETIME: '12h' }).AUTH_MAX_TOKEN_LIFETIME).toBe(12 * 3600);
    expect(() => loadConfig({ AUTH_MAX_TOKEN_LIFETIME: 'forever' })).toThrow();
  });
});

describe('tokenExpiry', () => {
  it('reads exp, or null without one', async () => {
    expect(tokenExpiry(await hs256({ sub: 'u', exp: NOW + 60 }))).toEqual(new Date((NOW + 60) * 1000));
    expect(tokenExpiry(await hs256({ sub: 'u' }))).toBeNull();
  });
});
