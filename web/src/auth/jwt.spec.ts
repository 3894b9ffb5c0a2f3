import { describe, expect, it } from 'vitest';
import { expiresInMs, readClaims } from './jwt.ts';
import { messageFor } from './auth.ts';

const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const jwt = (claims: unknown) => `${encode({ alg: 'HS256' })}.${encode(claims)}.signature`;

describe('a token as the app reads it', () => {
  it('names the user, their email and roles, and when it runs out', () => {
    const claims = readClaims(jwt({ sub: 'ada', email: 'ada@example.com', roles: ['admin', 7], exp: 2_000 }));
    expect(claims).toEqual({ sub: 'ada', email: 'ada@example.com', roles: ['admin'], exp: 2_000 });
    expect(claims && expiresInMs(claims, 1_000_000)).toBe(1_000_000);
  });

  it('is nothing without a subject or a JSON payload', () => {
    expect(readClaims('not-a-token')).toBeNull();
    expect(readClaims(jwt({ email: 'x@example.com' }))).toBeNull();
    expect(readClaims('a.b%%.c')).toBeNull();
  });
});

describe('what a person is told when accounts say no', () => {
  it('words the cases of the account endpoints', () => {
    expect(messageFor(401, 'Invalid email or password', 'sign-in')).toBe('Wrong email or password.');
    expect(messageFor(400, 'Email and password sign up is not enabled', 'sign-up')).toBe('Sign-up is closed on this server. Ask an administrator for an account.');
    expect(messageFor(404, '', 'sign-in')).toBe('Accounts are not enabled on this server. Use a development token instead.');
    expect(messageFor(429, '', 'reset')).toBe('Too many attempts. Wait a minute and try again.');
  });
});
