import { createHmac } from 'node:crypto';
import { SignJWT, decodeProtectedHeader, jwtVerify } from 'jose';
import type { JWTClaimVerificationOptions, JWTPayload } from 'jose';
import { describe, expect, it } from 'vitest';
import { hs256Claims } from './hs256-signature.ts';

const SECRET = new TextEncoder().encode('test-secret-that-is-long-enough-for-hs256');
const NOW = Math.floor(Date.now() / 1000);
const OPTIONS: JWTClaimVerificationOptions = { requiredClaims: ['sub'], issuer: 'https://issuer.example', clockTolerance: 5 };
const check = hs256Claims(SECRET);
const valid: JWTPayload = { sub: 'user-1', iss: 'https://issuer.example', iat: NOW, exp: NOW + 3600 };

const sign = (claims: JWTPayload, header: Record<string, unknown> = {}, secret = SECRET): Promise<string> =>
  new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'JWT', ...header }).sign(secret);

/** Signed as it is, whatever the header says (jose would not sign a header it does not understand). */
function signAsIs(header: Record<string, unknown>, claims: Record<string, unknown>): string {
  const input = `${Buffer.from(JSON.stringify(header)).toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
  return `${input}.${createHmac('sha256', SECRET).update(input).digest('base64url')}`;
}

/** What this path says of a token: its claims, that jose decides (undefined), or the class of what it threw. */
function fastPath(token: string): JWTPayload | undefined | string {
  try {
    return check(token, decodeProtectedHeader(token), OPTIONS);
  } catch (error) {
    return error instanceof Error ? error.constructor.name : 'unknown';
  }
}

async function jose(token: string): Promise<JWTPayload | string> {
  try {
    return (await jwtVerify(token, SECRET, { ...OPTIONS, algorithms: ['HS256'] })).payload;
  } catch (error) {
    return error instanceof Error ? error.constructor.name : 'unknown';
  }
}

describe('checking an HS256 token in this thread', () => {
  it('gives the claims of a good token at once, not a promise', async () => {
    const token = await sign(valid);
    expect(check(token, decodeProtectedHeader(token), OPTIONS)).toEqual(valid);
  });

  it('refuses a token for its claims with the error jose refuses it with', async () => {
    const tokens = await Promise.all([
      sign({ ...valid, exp: NOW - 60 }),
      sign({ ...valid, nbf: NOW + 600 }),
      sign({ ...valid, iss: 'https://elsewhere.example' }),
      sign({ iss: valid.iss, exp: valid.exp }),
      Promise.resolve(signAsIs({ alg: 'HS256' }, { ...valid, exp: 'tomorrow' })),
    ]);
    for (const token of tokens) {
      const answer = fastPath(token);
      expect(typeof answer).toBe('string');
      expect(answer).toBe(await jose(token));
    }
  });

  it('leaves to jose every token it does not accept itself: another secret, a crit or b64 header, a re-encoded signature, extra parts', async () => {
    const good = await sign(valid);
    const [head, payload, signature = ''] = good.split('.');
    const lastBits = signature.slice(0, -1) + (signature.endsWith('A') ? 'B' : 'A');
    const tokens = [
      await sign(valid, {}, new TextEncoder().encode('some-other-secret-that-is-long-enough')),
      signAsIs({ alg: 'HS256', crit: ['exp'], exp: 1 }, valid),
      signAsIs({ alg: 'HS256', b64: true, crit: ['b64'] }, valid),
      signAsIs({ alg: 'HS256', b64: true }, valid),
      `${head}.${payload}.${lastBits}`,
      `${head}.${payload}.${signature}.`,
      `${head}.${payload}`,
    ];
    for (const token of tokens) {
      let header;
      try { header = decodeProtectedHeader(token); } catch { continue; }
      expect(check(token, header, OPTIONS)).toBeUndefined();
    }
  });

  it('accepts exactly the good tokens jose accepts, with the same claims', async () => {
    for (const claims of [valid, { ...valid, email: 'ada@example.com', roles: ['admin'] }, { ...valid, nbf: NOW + 3 }]) {
      const token = await sign(claims, { kid: 'k1' });
      expect(fastPath(token)).toEqual(await jose(token));
    }
  });
});
