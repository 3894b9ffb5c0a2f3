/** `Authorization: Bearer <token>`; the scheme is case-insensitive (RFC 7235). */
export function bearerToken(authorizationHeader: string | undefined): string | null {
  if (authorizationHeader === undefined) return null;
  const match = /^bearer[ \t]+(\S+)$/i.exec(authorizationHeader.trim());
  return match?.[1] ?? null;
}

/**
 * Browsers cannot set headers on a WebSocket, so clients offer `Sec-WebSocket-Protocol: bearer, <jwt>`:
 * the token is the entry after `bearer`. The server must then select `bearer` as the protocol, or the
 * browser drops the connection.
 */
export function tokenFromSubprotocol(header: string | undefined): string | null {
  if (header === undefined) return null;
  const entries = header.split(',').map((entry) => entry.trim());
  const marker = entries.findIndex((entry) => entry.toLowerCase() === 'bearer');
  if (marker === -1) return null;
  const token = entries[marker + 1];
  return token === undefined || token === '' ? null : token;
}
