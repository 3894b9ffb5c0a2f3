import { afterEach, describe, expect, it, vi } from 'vitest';
import { mintToken } from './mint-token.ts';
import { createTokenVerifier } from './verify-token.ts';
import { verifiedTokens } from './verified-tokens.ts';

const principal = (user_id: string) => ({ user_id, email: null, roles: [], is_admin: false });
const SECRET = 'test-secret-that-is-long-enough-for-hs256';

describe('the tokens a verifier remembers as verified', () => {
  it('answers the caller of a remembered token until its exp, allowing for the clock tolerance', () => {
    const tokens = verifiedTokens({ capacity: 10, clockToleranceSeconds: 5 });
    tokens.remember('token-a', principal('user-1'), 1_000);
    expect(tokens.find('token-a', 999_000)).toEqual(principal('user-1'));
    expect(tokens.find('token-a', 1_004_999)).toEqual(principal('user-1'));
    expect(tokens.find('token-a', 1_005_000)).toBeUndefined();
    // Forgotten once expired, even if the clock went back.
    expect(tokens.find('token-a', 999_000)).toBeUndefined();
  });

  it('knows a token only by its exact text', () => {
    const tokens = verifiedTokens({ capacity: 10, clockToleranceSeconds: 0 });
    tokens.remember('header.payload.signature', principal('user-1'), 2_000);
    expect(tokens.find('header.payload.signaturf', 1_000_000)).toBeUndefined();
  });

  it('holds at most its capacity, dropping the least recently verified first', () => {
    const tokens = verifiedTokens({ capacity: 2, clockToleranceSeconds: 0 });
    tokens.remember('a', principal('user-a'), 2_000);
    tokens.remember('b', principal('user-b'), 2_000);
    tokens.remember('c', principal('user-c'), 2_000);
    expect(tokens.size).toBe(2);
    expect(tokens.find('a', 1_000_000)).toBeUndefined();
    expect(tokens.find('c', 1_000_000)).toEqual(principal('user-c'));
  });
});

describe('a verifier answering a token it verified before', () => {
  afterEach(() => { vi.useRealTimers(); });

  it('still refuses it once it has expired', async () => {
    const verifier = createTokenVerifier({ secret: SECRET });
    const token = await mintToken({ secret: SECRET, userId: 'user-1', expiresIn: '1h' });
    expect(await verifier.verify(token)).toMatchObject({ ok: true, value: { user_id: 'user-1' } });
    expect(await verifier.verify(token)).toMatchObject({ ok: true, value: { user_id: 'user-1' } });
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 2 * 3600 * 1000);
    expect(await verifier.verify(token)).toEqual({ ok: false, error: { code: 'invalid_token', reason: 'token expired' } });
  });
});
