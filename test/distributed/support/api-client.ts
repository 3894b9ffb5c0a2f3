import { setTimeout as sleep } from 'node:timers/promises';
import { mintToken } from '../../../gateways/auth/mint-token.ts';

export interface Reply { readonly status: number; readonly body: unknown }

/** HTTP over a real socket to one service, with a development token for `user`. */
export function apiClient(secret: string) {
  const tokens = new Map<string, string>();
  const token = async (user: string) => {
    let value = tokens.get(user);
    if (!value) {
      value = await mintToken({ secret, userId: user, email: `${user}@example.com` });
      tokens.set(user, value);
    }
    return value;
  };
  return {
    token,
    async call(baseUrl: string, method: string, path: string, options: { user: string; body?: unknown; headers?: Record<string, string> }): Promise<Reply> {
      const response = await fetch(`${baseUrl}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${await token(options.user)}`,
          ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
          ...options.headers,
        },
        ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
      });
      const text = await response.text();
      return { status: response.status, body: text ? JSON.parse(text) as unknown : null };
    },
  };
}

/**
 * Polls until `check` returns a value: how a test waits for another process's effect, which sends it no
 * signal. Bounded only by the test timeout.
 */
export async function eventually<T>(check: () => Promise<T | undefined>, intervalMs = 100): Promise<T> {
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value !== undefined) return value;
    await sleep(intervalMs);
  }
}
