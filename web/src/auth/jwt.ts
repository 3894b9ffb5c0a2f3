/** What the app reads from a JWT: who it is for and when it runs out. The server verifies it; this only reads. */
export interface Claims {
  readonly sub: string;
  readonly email?: string;
  readonly name?: string;
  readonly roles: readonly string[];
  /** Seconds since the epoch; absent: never expires. */
  readonly exp?: number;
}

function base64UrlDecode(part: string): string {
  const base64 = part.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(part.length / 4) * 4, '=');
  return new TextDecoder().decode(Uint8Array.from(atob(base64), (c) => c.charCodeAt(0)));
}

/** The token's claims, or null for something that is not a JWT with a subject. */
export function readClaims(token: string): Claims | null {
  const payload = token.split('.')[1];
  if (!payload) return null;
  try {
    const raw: unknown = JSON.parse(base64UrlDecode(payload));
    if (typeof raw !== 'object' || raw === null) return null;
    const record = raw as Record<string, unknown>;
    if (typeof record['sub'] !== 'string') return null;
    const roles = Array.isArray(record['roles']) ? record['roles'].filter((role): role is string => typeof role === 'string') : [];
    return {
      sub: record['sub'],
      roles,
      ...(typeof record['email'] === 'string' ? { email: record['email'] } : {}),
      ...(typeof record['name'] === 'string' ? { name: record['name'] } : {}),
      ...(typeof record['exp'] === 'number' ? { exp: record['exp'] } : {}),
    };
  } catch {
    return null;
  }
}

export const expiresInMs = (claims: Claims, now = Date.now()): number => (claims.exp === undefined ? Infinity : claims.exp * 1000 - now);
