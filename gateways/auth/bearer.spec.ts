import { describe, expect, it } from 'vitest';
import { bearerToken, tokenFromSubprotocol } from './bearer.ts';

describe('the bearer token of an Authorization header', () => {
  it('is the credential after the Bearer scheme, whatever its case, without surrounding space', () => {
    expect(bearerToken('Bearer abc.def.ghi')).toBe('abc.def.ghi');
    expect(bearerToken('bearer abc.def.ghi')).toBe('abc.def.ghi');
    expect(bearerToken('  BEARER   abc.def.ghi  ')).toBe('abc.def.ghi');
  });

  it('is absent for a missing header, another scheme, or an empty credential', () => {
    expect(bearerToken(undefined)).toBeNull();
    expect(bearerToken('Basic dXNlcjpwYXNz')).toBeNull();
    expect(bearerToken('Bearer')).toBeNull();
    expect(bearerToken('Bearer   ')).toBeNull();
    expect(bearerToken('Bearerabc')).toBeNull();
  });
});

describe('the token in a WebSocket subprotocol header', () => {
  it('is the entry after bearer', () => {
    expect(tokenFromSubprotocol('bearer, abc.def.ghi')).toBe('abc.def.ghi');
    expect(tokenFromSubprotocol('json,Bearer ,abc.def.ghi, other')).toBe('abc.def.ghi');
  });

  it('is absent without a bearer entry or a following entry', () => {
    expect(tokenFromSubprotocol(undefined)).toBeNull();
    expect(tokenFromSubprotocol('json, abc.def.ghi')).toBeNull();
    expect(tokenFromSubprotocol('bearer')).toBeNull();
    expect(tokenFromSubprotocol('bearer, ')).toBeNull();
  });
});
