import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import type { CryptoKey, JWTPayload } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenVerifier } from './verify-token.ts';

const SECRET = 'test-secret-that-is-long-enough-for-hs256';
const NOW = Math.floor(Date.now() / 1000);
const encode = (text: string): Uint8Array => new TextEncoder().encode(text);
const base64url = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');

function hs256(claims: JWTPayload, secret = SECRET): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(encode(secret));
}

function rs256(claims: JWTPayload, key: CryptoKey, kid: string): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid }).sign(key);
}

const valid: JWTPayload = { sub: 'user-1', iat: NOW, exp: NOW + 3600 };

const rejection = (reason: string) => ({ ok: false, error: { code: 'invalid_token', reason } });

describe('creating a token verifier', () => {
  it('fails loudly when neither a secret nor a JWKS URL is configured', () => {
    expect(() => createTokenVerifier({})).toThrow();
  });

  it('fails loudly when the secret is empty', () => {
    expect(() => createTokenVerifier({ secret: '' })).toThrow();
  });
});

describe('a verifier with an HS256 secret', () => {
  const verifier = createTokenVerifier({ secret: SECRET });

  it('accepts a valid token and maps sub, email and roles to the principal', async () => {
    const token = await hs256({ ...valid, email: 'ada@example.com', roles: ['admin', 'ops'] });
    expect(await verifier.verify(token)).toEqual({
      ok: true,
      value: { user_id: 'user-1', email: 'ada@example.com', roles: ['admin', 'ops'], is_admin: true },
    });
  });

  it('treats a token without email or roles as a user with no address and no roles', async () => {
    expect(await verifier.verify(await hs256(valid))).toEqual({
      ok: true,
      value: { user_id: 'user-1', email: null, roles: [], is_admin: false },
    });
  });

  it('rejects an unsigned token (alg: none)', async () => {
    const unsigned = `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url(valid)}.`;
    expect(await verifier.verify(unsigned)).toEqual(rejection('unsupported algorithm'));
  });

  it('rejects a token signed with another secret', async () => {
    expect(await verifier.verify(await hs256(valid, 'some-other-secret'))).toEqual(rejection('bad signature'));
  });

  it('rejects an expired token', async () => {
    expect(await verifier.verify(await hs256({ ...valid, exp: NOW - 60 }))).toEqual(rejection('token expired'));
  });

  it('rejects a token that is not valid yet', async () => {
    expect(await verifier.verify(await hs256({ ...valid, nbf: NOW + 600 }))).toEqual(rejection('token not yet valid'));
  });

  it('accepts a token that expired within the configured clock tolerance', async () => {
    const tolerant = createTokenVerifier({ secret: SECRET, clockToleranceSeconds: 120 });
    expect((await tolerant.verify(await hs256({ ...valid, exp: NOW - 60 }))).ok).toBe(true);
  });

  it('rejects a token without a sub claim', async () => {
    expect(await verifier.verify(await hs256({ iat: NOW, exp: NOW + 3600 }))).toEqual(rejection('missing sub claim'));
  });

  it('rejects a token whose sub claim is empty', async () => {
    expect(await verifier.verify(await hs256({ ...valid, sub: '' }))).toEqual(rejection('missing sub claim'));
  });

  it('rejects a token whose roles claim is not a list of strings, rather than ignoring it', async () => {
    expect(await verifier.verify(await hs256({ ...valid, roles: 'admin' }))).toEqual(rejection('malformed token'));
  });

  it('rejects a string that is not a JWT', async () => {
    expect(await verifier.verify('not-a-jwt')).toEqual(rejection('malformed token'));
    expect(await verifier.verify('')).toEqual(rejection('malformed token'));
    expect(await verifier.verify('a.b.c')).toEqual(rejection('malformed token'));
  });
});

describe('a verifier with an issuer and an audience', () => {
  const verifier = createTokenVerifier({ secret: SECRET, issuer: 'https://auth.example', audience: 'todo' });
  const scoped = { ...valid, iss: 'https://auth.example', aud: 'todo' };

  it('accepts a token from that issuer for that audience', async () => {
    expect((await verifier.verify(await hs256(scoped))).ok).toBe(true);
  });

  it('rejects a token from another issuer', async () => {
    expect(await verifier.verify(await hs256({ ...scoped, iss: 'https://evil.example' }))).toEqual(
      rejection('wrong issuer'),
    );
  });

  it('rejects a token for another audience', async () => {
    expect(await verifier.verify(await hs256({ ...scoped, aud: 'billing' }))).toEqual(rejection('wrong audience'));
  });

  it('rejects a token that names no audience', async () => {
    const { aud: _omitted, ...unscoped } = scoped;
    expect(await verifier.verify(await hs256(unscoped))).toEqual(rejection('wrong audience'));
  });
});

describe('a verifier with a JWKS URL', () => {
  const KID = 'signing-key-1';
  let server: Server;
  let baseUrl: string;
  let signingKey: CryptoKey;
  let strangerKey: CryptoKey;

  beforeAll(async () => {
    const published = await generateKeyPair('RS256');
    signingKey = published.privateKey;
    strangerKey = (await generateKeyPair('RS256')).privateKey;
    const jwks = { keys: [{ ...(await exportJWK(published.publicKey)), kid: KID, alg: 'RS256', use: 'sig' }] };
    server = createServer((request, response) => {
      if (request.url !== '/.well-known/jwks.json') {
        response.writeHead(500).end();
        return;
      }
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(jwks));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('expected a TCP address');
    baseUrl = `http://127.0.0.1:${address.port}`;
  });

  afterAll(async () => {
    await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
  });

  const jwksVerifier = () => createTokenVerifier({ jwksUrl: `${baseUrl}/.well-known/jwks.json` });

  it('accepts an RS256 token signed with a published key', async () => {
    const token = await rs256({ ...valid, roles: ['admin'] }, signingKey, KID);
    expect(await jwksVerifier().verify(token)).toEqual({
      ok: true,
      value: { user_id: 'user-1', email: null, roles: ['admin'], is_admin: true },
    });
  });

  it('rejects a token signed by another key pair under the published key id', async () => {
    expect(await jwksVerifier().verify(await rs256(valid, strangerKey, KID))).toEqual(rejection('bad signature'));
  });

  it('rejects a token naming a key id the set does not contain', async () => {
    expect(await jwksVerifier().verify(await rs256(valid, strangerKey, 'unknown-key'))).toEqual(
      rejection('no key found'),
    );
  });

  it('rejects an HS256 token, so a public key can never be used as an HMAC secret', async () => {
    expect(await jwksVerifier().verify(await hs256(valid))).toEqual(rejection('unsupported algorithm'));
  });

  it('rejects an unsigned token (alg: none)', async () => {
    const unsigned = `${base64url({ alg: 'none' })}.${base64url(valid)}.`;
    expect(await jwksVerifier().verify(unsigned)).toEqual(rejection('unsupported algorithm'));
  });

  it('picks the key by the token algorithm when a secret is configured too', async () => {
    const both = createTokenVerifier({ secret: SECRET, jwksUrl: `${baseUrl}/.well-known/jwks.json` });
    expect((await both.verify(await hs256(valid))).ok).toBe(true);
    expect((await both.verify(await rs256(valid, signingKey, KID))).ok).toBe(true);
    expect(await both.verify(await hs256(valid, 'some-other-secret'))).toEqual(rejection('bad signature'));
  });

  it('fails the call instead of answering 401 when the key set cannot be fetched', async () => {
    const unreachable = createTokenVerifier({ jwksUrl: `${baseUrl}/broken` });
    await expect(unreachable.verify(await rs256(valid, signingKey, KID))).rejects.toThrow();
  });
});
