import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import type { CryptoKey, JSONWebKeySet, JWK, JWTPayload } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { createAccountTokenVerifier, verifierByIssuer } from './account-token-verifier.ts';
import { createTokenVerifier } from './verify-token.ts';

const ISSUER = 'https://todo.example.com';
const SECRET = 'test-secret-that-is-long-enough-for-hs256';
const NOW = Math.floor(Date.now() / 1000);
const claims = (extra: JWTPayload = {}): JWTPayload => ({ sub: 'user-1', iss: ISSUER, aud: ISSUER, iat: NOW, exp: NOW + 900, ...extra });

interface Key { readonly kid: string; readonly privateKey: CryptoKey; readonly jwk: JWK }

async function ed25519(kid: string): Promise<Key> {
  const { privateKey, publicKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
  return { kid, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg: 'EdDSA' } };
}

const sign = (key: Key, payload: JWTPayload) => new SignJWT(payload).setProtectedHeader({ alg: 'EdDSA', kid: key.kid }).sign(key.privateKey);
const hs256 = (payload: JWTPayload) => new SignJWT(payload).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode(SECRET));

/** The accounts' key table as the verifier reads it, with a count of the reads. */
function keyTable(...initial: Key[]) {
  const keys = [...initial];
  let reads = 0;
  return {
    add: (key: Key) => keys.push(key),
    reads: () => reads,
    publicKeys: async (): Promise<JSONWebKeySet> => { reads++; return { keys: keys.map((key) => key.jwk) }; },
  };
}

const rejection = (reason: string) => ({ ok: false, error: { code: 'invalid_token', reason } });

describe('the verifier of account tokens', () => {
  let first: Key;
  let second: Key;
  beforeAll(async () => { [first, second] = await Promise.all([ed25519('k1'), ed25519('k2')]); });

  it('accepts a token signed with a key of the table, with its email and roles', async () => {
    const verifier = createAccountTokenVerifier({ ...keyTable(first), issuer: ISSUER, audience: ISSUER });
    expect(await verifier.verify(await sign(first, claims({ email: 'ada@example.com', roles: ['admin'] })))).toEqual({
      ok: true, value: { user_id: 'user-1', email: 'ada@example.com', roles: ['admin'], is_admin: true },
    });
  });

  it('refuses every token while the table holds no key yet (none was ever issued)', async () => {
    const verifier = createAccountTokenVerifier({ ...keyTable(), issuer: ISSUER, audience: ISSUER });
    expect(await verifier.verify(await sign(first, claims()))).toEqual(rejection('no key found'));
  });

  it('reads the table once, and again when a token names a key made since', async () => {
    const table = keyTable(first);
    const verifier = createAccountTokenVerifier({ publicKeys: table.publicKeys, issuer: ISSUER, audience: ISSUER });
    await verifier.verify(await sign(first, claims()));
    await verifier.verify(await sign(first, claims()));
    expect(table.reads()).toBe(1);
    table.add(second);
    expect((await verifier.verify(await sign(second, claims()))).ok).toBe(true);
    expect(table.reads()).toBe(2);
  });

  it('refuses a key the table does not hold, a wrong issuer or audience, an expired token and another algorithm', async () => {
    const verifier = createAccountTokenVerifier({ ...keyTable(first), issuer: ISSUER, audience: ISSUER });
    expect(await verifier.verify(await sign(second, claims()))).toEqual(rejection('no key found'));
    expect(await verifier.verify(await sign(first, claims({ iss: 'https://elsewhere.example.com' })))).toEqual(rejection('wrong issuer'));
    expect(await verifier.verify(await sign(first, claims({ aud: 'someone-else' })))).toEqual(rejection('wrong audience'));
    expect(await verifier.verify(await sign(first, claims({ exp: NOW - 60 })))).toEqual(rejection('token expired'));
    expect(await verifier.verify(await hs256(claims()))).toEqual(rejection('unsupported algorithm'));
  });

  it('fails (an outage, not a 401) when the table cannot be read, and reads again for the next token', async () => {
    let fail = true;
    const table = keyTable(first);
    const verifier = createAccountTokenVerifier({
      publicKeys: () => (fail ? Promise.reject(new Error('database down')) : table.publicKeys()),
      issuer: ISSUER, audience: ISSUER,
    });
    const token = await sign(first, claims());
    await expect(verifier.verify(token)).rejects.toThrow('database down');
    fail = false;
    expect((await verifier.verify(token)).ok).toBe(true);
  });
});

describe('choosing the verifier by issuer', () => {
  let key: Key;
  beforeAll(async () => { key = await ed25519('k1'); });

  const both = () => verifierByIssuer(
    { issuer: ISSUER, verifier: createAccountTokenVerifier({ ...keyTable(key), issuer: ISSUER, audience: ISSUER }) },
    createTokenVerifier({ secret: SECRET }),
  );

  it('verifies account tokens with the accounts\' keys and every other token with the configured modes', async () => {
    expect((await both().verify(await sign(key, claims()))).ok).toBe(true);
    expect((await both().verify(await hs256({ sub: 'alice', iat: NOW, exp: NOW + 60 }))).ok).toBe(true);
  });

  it('leaves an HS256 token that names the accounts\' issuer to the configured modes: the accounts sign with EdDSA only', async () => {
    expect((await both().verify(await hs256(claims()))).ok).toBe(true);
    const otherSecret = await new SignJWT(claims()).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode('another-secret-that-is-long-enough-0123'));
    expect(await both().verify(otherSecret)).toEqual(rejection('bad signature'));
  });

  it('refuses an EdDSA token of the accounts\' issuer signed with a key the accounts do not have', async () => {
    expect(await both().verify(await sign(await ed25519('k1'), claims()))).toEqual(rejection('bad signature'));
  });
});
