import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { generateSecret } from './generate-secret.ts';
import { mintToken } from './mint-token.ts';
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
