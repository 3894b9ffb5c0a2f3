import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { generateSecret } from './generate-secret.ts';
import { mintToken, parseTokenLifetime } from './mint-token.ts';
import { createTokenVerifier } from './verify-token.ts';

describe('a minted development token', () => {
  const secret = generateSecret();

  it('is accepted by a verifier with the same secret, issuer and audience', async () => {
    const token = await mintToken({ secret, userId: 'u-1', email: 'a@example.com', admin: true, issuer: 'todo', audience: 'api' });
    const verifier = createTokenVerifier({ secret, issuer: 'todo', audience: 'api' });
    expect(await verifier.verify(token)).toEqual({
      ok: true,
      value: { user_id: 'u-1', email: 'a@example.com', roles: ['admin'], is_admin: true },
    });
  });

  it('carries no roles unless minted for an admin, and lives 30 days from now by default', async () => {
    const now = new Date('2030-01-01T00:00:00Z');
    const claims = decodeJwt(await mintToken({ secret, userId: 'u-2', now }));
    const iat = now.getTime() / 1000;
    expect(claims).toEqual({ sub: 'u-2', roles: [], iat, exp: iat + 30 * 86_400 });
  });

  it('honours an explicit lifetime', async () => {
    const now = new Date('2030-01-01T00:00:00Z');
    const claims = decodeJwt(await mintToken({ secret, userId: 'u-3', now, expiresIn: '2h' }));
    expect(claims.exp).toBe(now.getTime() / 1000 + 7_200);
  });
});

describe('a generated secret', () => {
  it('is 32 random bytes in base64url', () => {
    const secret = generateSecret();
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(secret, 'base64url')).toHaveLength(32);
    expect(generateSecret()).not.toBe(secret);
  });
});

describe('a token lifetime typed on the command line', () => {
  it('is a count with a unit: s, m, h, d or w', () => {
    expect(['90s', '30m', '1h', '7d', '2w'].map(parseTokenLifetime)).toEqual([90, 1_800, 3_600, 604_800, 1_209_600]);
  });

  it('is refused when it has no unit, an unknown unit, a fraction, or is zero', () => {
    expect(['', '3600', 'h', '1x', '1.5h', '-1h', '0d', '1 h', '99999999999999999999w'].map(parseTokenLifetime)).toEqual(
      [null, null, null, null, null, null, null, null, null],
    );
  });
});
