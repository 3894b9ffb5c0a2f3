import { recentlySet } from '../../contracts/recently-set.ts';
import type { Principal } from './principal.ts';

/**
 * Tokens this process has verified against the shared secret, with the caller each names, until each
 * expires: a client sends the same token with every request for its whole life, and checking its HMAC
 * again (through WebCrypto's asynchronous job queue) and parsing its claims again would give the same
 * answer every time. A token is only found by its exact text, signature included, so nothing unverified
 * can match; only `exp` changes the answer as time passes, and it is checked on every look-up with the
 * verifier's clock tolerance. Bounded: past `capacity` the least recently verified token goes first.
 */
export function verifiedTokens(options: { readonly capacity: number; readonly clockToleranceSeconds: number }) {
  const entries = recentlySet<string, { readonly principal: Principal; readonly exp: number }>(options.capacity);
  return {
    /** The caller of a token verified before and still unexpired at `nowMs`; undefined otherwise. */
    find(token: string, nowMs: number): Principal | undefined {
      const entry = entries.get(token);
      if (!entry) return undefined;
      // As the verifier decides: expired once `exp` is at or before now minus the tolerance, in whole seconds.
      if (entry.exp <= Math.floor(nowMs / 1000) - options.clockToleranceSeconds) {
        entries.delete(token);
        return undefined;
      }
      return entry.principal;
    },
    remember(token: string, principal: Principal, exp: number): void {
      entries.set(token, { principal, exp });
    },
    get size(): number {
      return entries.size;
    },
  };
}
