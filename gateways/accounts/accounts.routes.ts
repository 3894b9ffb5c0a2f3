import type {} from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { NEW_PASSWORD_MAX, NEW_PASSWORD_MIN } from './better-auth.ts';
import { defineRoute, problemAnswer } from '../../contracts/http-route.ts';
import { sendProblem } from '../../contracts/problem-reply.ts';
import { problem, type Problem, type ProblemCode } from '../../contracts/problem.ts';
import { ACCOUNTS_BASE_PATH, type Accounts } from './better-auth.ts';

export interface AccountRouteDeps {
  readonly accounts: Accounts;
  readonly signUp: 'open' | 'closed';
  /** Sign-in attempts (and reset requests) allowed per window: per client IP, and per account (email). */
  readonly limits: { readonly windowMs: number; readonly perIp: number; readonly perAccount: number };
}

/*
 * Better Auth's standard email/password endpoints, each registered and documented on its own: the server
 * serves those of them it names, and no other Better Auth endpoint. Each hands the request to Better Auth
 * as a Web Request and its Response back; its errors become problem+json like every other error here.
 */

// An address as the document's `format: email` means it (RFC 5321): at most 64 characters before the @.
const Email = z.email().max(254)
  .refine((email) => email.lastIndexOf('@') <= 64, 'at most 64 characters before the @')
  .describe('Compared case-insensitively');
/** A password to check: any, a wrong one is a 401. */
const Password = z.string().min(1);
/**
 * A password to set: 8 to 128 characters, counted as JSON Schema counts them (code points). Better Auth
 * counts UTF-16 units and answers PASSWORD_TOO_SHORT below 8 of them; what only code points tell apart
 * (astral characters) is refused here, and Better Auth's upper bound is set to what 128 of them can take.
 */
const codePoints = (text: string) => [...text].length;
const NewPassword = z.string().min(1)
  .refine((password) => password.length < NEW_PASSWORD_MIN || codePoints(password) >= NEW_PASSWORD_MIN, `at least ${NEW_PASSWORD_MIN} characters`)
  .refine((password) => codePoints(password) <= NEW_PASSWORD_MAX, `at most ${NEW_PASSWORD_MAX} characters`)
  .meta({ minLength: NEW_PASSWORD_MIN, maxLength: NEW_PASSWORD_MAX })
  .describe('8 to 128 characters');

const User = z.looseObject({
  id: z.string().describe('The user id: the `sub` of the account\'s tokens, the owner of its tasks'),
  email: z.string(),
  name: z.string(),
  emailVerified: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
const Session = z.looseObject({
  id: z.string(),
  userId: z.string(),
  token: z.string().describe('The session token (the cookie\'s value): what revoke-session takes'),
  expiresAt: z.string(),
});
const SignedIn = z.looseObject({ token: z.string().nullable().describe('The session token, also set as the cookie'), user: User });
const Status = z.looseObject({ status: z.boolean() });

const setsCookie = { 'set-cookie': { description: 'The session cookie (HttpOnly); cleared on sign-out', schema: z.string() } };
const rateLimited = problemAnswer('Too many attempts from this IP or for this account; try again later', {
  'retry-after': { description: 'Seconds until the window lets another attempt through', schema: z.string() },
});
const signedOut = problemAnswer('No session: the session cookie is missing, expired or revoked');
/** Better Auth's CSRF check, on every request that brings the session cookie but for reading ones. */
const untrustedOrigin = problemAnswer('The request brings the session cookie without an Origin (or Referer) of a trusted origin (BETTER_AUTH_URL)');

const CODES: Readonly<Record<number, ProblemCode>> = {
  400: 'validation', 401: 'unauthorized', 403: 'forbidden', 404: 'not_found', 409: 'already_exists', 429: 'too_many_requests',
};

/**
 * Better Auth's `{code, message}` error as a problem: the message is the title, its code the detail. Both
 * stay as extension members too, where Better Auth's clients read them (`error.code`, `error.message`).
 */
function asProblem(status: number, text: string): Problem & { code?: string; message?: string } {
  const parsed = z.looseObject({ code: z.string().optional(), message: z.string().optional() }).safeParse(safeJson(text));
  const error = parsed.success ? parsed.data : {};
  const kind = error.code?.startsWith('USER_ALREADY_EXISTS') ? 'already_exists' : (CODES[status] ?? (status >= 500 ? 'internal' : 'validation'));
  return {
    ...problem(kind, status, error.message ?? 'Request refused', error.code ? { detail: error.code } : {}),
    ...(error.code ? { code: error.code } : {}),
    ...(error.message ? { message: error.message } : {}),
  };
}

/** Our own refusals on these routes, with the `code` and `message` a Better Auth client reads. */
function withClientFields(refusal: Problem, code: string): Problem & { code: string; message: string } {
  return { ...refusal, code, message: refusal.title };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/**
 * Headers not passed on as they came: the body is serialised anew, and the client's address is the one
 * fastify saw (Better Auth records it with the session), not whatever a client wrote into X-Forwarded-For.
 */
const NOT_FORWARDED = new Set(['content-length', 'transfer-encoding', 'connection', 'keep-alive', 'x-forwarded-for']);

function webRequest(request: FastifyRequest, baseUrl: string): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined || NOT_FORWARDED.has(name)) continue;
    for (const entry of Array.isArray(value) ? value : [value]) headers.append(name, entry);
  }
  headers.set('x-forwarded-for', request.ip);
  const hasBody = request.method !== 'GET' && request.body !== undefined && request.body !== null;
  if (hasBody) headers.set('content-type', 'application/json');
  return new Request(new URL(request.url, baseUrl), {
    method: request.method,
    headers,
    ...(hasBody ? { body: JSON.stringify(request.body) } : {}),
  });
}

async function forward(accounts: Accounts, request: FastifyRequest, reply: FastifyReply): Promise<unknown> {
  const response = await accounts.handler(webRequest(request, accounts.baseUrl));
  const text = await response.text();
  // Each cookie is a header of its own; Headers.forEach would join them with commas.
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) reply.header('set-cookie', cookies);
  if (response.status >= 400) return sendProblem(reply, asProblem(response.status, text));
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie' && name !== 'content-length' && name !== 'content-encoding') reply.header(name, value);
  });
  reply.code(response.status);
  return reply.send(text === '' ? undefined : text);
}

/**
 * Attempts counted per client IP and per account, in windows: the account key is the email the request
 * names, so guessing one account's password from many addresses is limited as well as one address
 * guessing many accounts. @fastify/rate-limit keeps the counts (in memory: per process).
 */
function attemptLimits(app: FastifyInstance, name: string, limits: AccountRouteDeps['limits'], perAccount: boolean) {
  const byIp = app.createRateLimit({ max: limits.perIp, timeWindow: limits.windowMs, keyGenerator: (request) => `${name}:ip:${request.ip}` });
  const byAccount = app.createRateLimit({
    max: limits.perAccount,
    timeWindow: limits.windowMs,
    keyGenerator: (request) => `${name}:account:${accountKey(request.body)}`,
  });
  const checks = perAccount ? [byIp, byAccount] : [byIp];
  /** Null when the attempt may go on; otherwise the seconds to wait. */
  return async (request: FastifyRequest): Promise<number | null> => {
    for (const check of checks) {
      const result = await check(request);
      if (!result.isAllowed && result.isExceeded) return result.ttlInSeconds;
    }
    return null;
  };
}

const accountKey = (body: unknown): string => {
  const parsed = z.object({ email: z.string() }).safeParse(body);
  return parsed.success ? parsed.data.email.trim().toLowerCase() : '';
};

function tooManyAttempts(reply: FastifyReply, seconds: number): FastifyReply {
  reply.header('retry-after', String(seconds));
  return sendProblem(reply, withClientFields(problem('too_many_requests', 429, 'Too many attempts', { detail: `try again in ${seconds} s` }), 'TOO_MANY_REQUESTS'));
}

export function registerAccountRoutes(app: FastifyInstance, deps: AccountRouteDeps): void {
  const { accounts } = deps;
  const pass = (_input: unknown, request: FastifyRequest, reply: FastifyReply) => forward(accounts, request, reply);
  const limited = (name: string, perAccount: boolean) => {
    const exceeded = attemptLimits(app, name, deps.limits, perAccount);
    return async (_input: unknown, request: FastifyRequest, reply: FastifyReply) => {
      const wait = await exceeded(request);
      return wait === null ? forward(accounts, request, reply) : tooManyAttempts(reply, wait);
    };
  };
  const url = (path: string) => `${ACCOUNTS_BASE_PATH}${path}`;
  const tags = ['accounts'];

  const signUp = limited('sign-up', false);
  defineRoute(app, {
    method: 'POST', url: url('/sign-up/email'), operationId: 'signUpEmail', tags,
    summary: 'Create an account with email and password, and sign in (sets the session cookie)',
    description: 'Answers 403 while sign-up is closed (AUTH_SIGNUP=closed). Counted against the IP\'s attempts.',
    body: z.looseObject({ name: z.string().min(1), email: Email, password: NewPassword }),
    responses: {
      200: { description: 'The account, signed in', schema: SignedIn, headers: setsCookie },
      403: problemAnswer('Sign-up is closed on this server; or the request brings a session cookie without a trusted Origin'),
      422: problemAnswer('The email has an account already (`already_exists`); a password out of bounds is a 400'),
      429: rateLimited,
    },
    handler: async (input, request, reply) => (deps.signUp === 'closed'
      ? sendProblem(reply, withClientFields(problem('forbidden', 403, 'Sign-up is closed', { detail: 'this server creates no accounts (AUTH_SIGNUP=closed)' }), 'SIGN_UP_CLOSED'))
      : signUp(input, request, reply)),
  });
  defineRoute(app, {
    method: 'POST', url: url('/sign-in/email'), operationId: 'signInEmail', tags,
    summary: 'Sign in with email and password (sets the session cookie)',
    description: 'A wrong password and an unknown email answer the same 401. Attempts are limited per IP and per email.',
    body: z.looseObject({ email: Email, password: Password }),
    responses: {
      200: { description: 'Signed in', schema: SignedIn, headers: setsCookie },
      401: problemAnswer('Invalid email or password (the same answer for either)'),
      403: untrustedOrigin,
      429: rateLimited,
    },
    handler: limited('sign-in', true),
  });
  defineRoute(app, {
    method: 'POST', url: url('/sign-out'), operationId: 'signOut', tags,
    summary: 'End the session of the cookie (it is revoked, the cookie cleared)',
    responses: { 200: { description: 'Signed out', schema: z.looseObject({ success: z.boolean() }), headers: setsCookie }, 401: signedOut, 403: untrustedOrigin },
    handler: pass,
  });
  defineRoute(app, {
    method: 'GET', url: url('/get-session'), operationId: 'getSession', tags,
    summary: 'The session of the cookie and its user; null when signed out',
    responses: { 200: { description: 'The session, or null', schema: z.object({ session: Session, user: User }).nullable() } },
    handler: pass,
  });
  defineRoute(app, {
    method: 'GET', url: url('/list-sessions'), operationId: 'listSessions', tags,
    summary: 'Every active session of the signed-in account',
    responses: { 200: { description: 'The sessions', schema: z.array(Session) }, 401: signedOut },
    handler: pass,
  });
  defineRoute(app, {
    method: 'POST', url: url('/revoke-session'), operationId: 'revokeSession', tags,
    summary: 'Revoke one session of the signed-in account, by its token',
    description: 'A JWT already issued for it stays valid until it expires (AUTH_TOKEN_MINUTES).',
    body: z.looseObject({ token: z.string().min(1) }),
    responses: { 200: { description: 'Revoked', schema: Status }, 401: signedOut, 403: untrustedOrigin },
    handler: pass,
  });
  defineRoute(app, {
    method: 'POST', url: url('/revoke-sessions'), operationId: 'revokeSessions', tags,
    summary: 'Revoke every session of the signed-in account, this one included',
    responses: { 200: { description: 'Revoked', schema: Status }, 401: signedOut, 403: untrustedOrigin },
    handler: pass,
  });
  defineRoute(app, {
    method: 'POST', url: url('/revoke-other-sessions'), operationId: 'revokeOtherSessions', tags,
    summary: 'Revoke every session of the signed-in account but this one',
    responses: { 200: { description: 'Revoked', schema: Status }, 401: signedOut, 403: untrustedOrigin },
    handler: pass,
  });
  defineRoute(app, {
    method: 'POST', url: url('/request-password-reset'), operationId: 'requestPasswordReset', tags,
    summary: 'Mail a password-reset link to the account of an email',
    description: 'Answers the same whether the email has an account or not. The mail goes through the email channel (SendGrid, or the log).',
    body: z.looseObject({ email: Email, redirectTo: z.string().optional().describe('Where the link in the mail leads, with ?token=') }),
    responses: { 200: { description: 'A mail is on its way if the email has an account', schema: Status }, 403: untrustedOrigin, 429: rateLimited },
    handler: limited('request-password-reset', true),
  });
  defineRoute(app, {
    method: 'GET', url: url('/reset-password/:token'), operationId: 'resetPasswordCallback', tags,
    summary: 'The link of the reset mail: redirects to callbackURL with the token (or with error=INVALID_TOKEN)',
    params: z.object({ token: z.string().min(1) }),
    query: z.looseObject({ callbackURL: z.string().describe('Where to send the browser; a trusted origin') }),
    responses: {
      302: { description: 'To callbackURL, with ?token= or ?error=INVALID_TOKEN', headers: { location: { description: 'The callback', schema: z.string() } } },
      403: problemAnswer('callbackURL is not of a trusted origin'),
      404: problemAnswer('Not given by Better Auth: an unknown or expired token redirects with error=INVALID_TOKEN'),
    },
    handler: pass,
  });
  defineRoute(app, {
    method: 'POST', url: url('/reset-password'), operationId: 'resetPassword', tags,
    summary: 'Set a new password with the token of a reset mail; every session of the account ends',
    body: z.looseObject({ newPassword: NewPassword, token: z.string().min(1) }),
    responses: { 200: { description: 'The password is changed', schema: Status }, 403: untrustedOrigin },
    handler: pass,
  });
  defineRoute(app, {
    method: 'GET', url: url('/token'), operationId: 'accountToken', tags,
    summary: 'A JWT for the signed-in session: the bearer token of /api and /ws (`sub` = the user id)',
    description: 'EdDSA-signed, valid for AUTH_TOKEN_MINUTES; carries `email` and `roles` (["admin"] for an admin).',
    responses: { 200: { description: 'The token', schema: z.object({ token: z.string() }) }, 401: signedOut },
    handler: pass,
  });
  defineRoute(app, {
    method: 'GET', url: url('/jwks'), operationId: 'accountKeys', tags,
    summary: 'The public keys the account tokens are signed with (JWKS)',
    responses: { 200: { description: 'The key set', schema: z.object({ keys: z.array(z.looseObject({ kid: z.string() })) }) } },
    handler: pass,
  });
}
