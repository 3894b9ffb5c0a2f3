import { decodeJwt } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { FeedClient } from '../test/support/feed-client.ts';
import { runTodo } from '../test/support/todo-process.ts';
import { startTestSystem, type TestSystem } from '../test/support/test-system.ts';

/*
 * The accounts over real HTTP against a real PostgreSQL: Better Auth's endpoints at /api/auth/*, the JWTs
 * of GET /api/auth/token accepted by /api and /ws beside the HS256 tokens of AUTH_JWT_SECRET.
 */

interface Answer { readonly status: number; readonly headers: Headers; readonly body: unknown; readonly text: string }

/** A browser-like client: one cookie jar, the session cookie kept from answer to answer. */
class AccountClient {
  private readonly cookies = new Map<string, string>();
  private readonly baseUrl: string;
  /** What a browser on the app's page sends: the configured base URL (BETTER_AUTH_URL), the trusted origin. */
  private readonly origin: string | null;
  constructor(t: TestSystem, origin: string | null = t.system.accounts.baseUrl) {
    this.baseUrl = t.baseUrl;
    this.origin = origin;
  }

  async call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> {
    const sent: Record<string, string> = { ...headers };
    if (this.cookies.size > 0) sent['cookie'] = this.cookieHeader();
    if (body !== undefined) sent['content-type'] = 'application/json';
    if (this.origin !== null) sent['origin'] = this.origin;
    const response = await fetch(`${this.baseUrl}${path}`, { method, headers: sent, redirect: 'manual', ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair = ''] = cookie.split(';');
      const [name = '', value = ''] = pair.split('=');
      if (value === '' || /max-age=0/i.test(cookie)) this.cookies.delete(name); else this.cookies.set(name, value);
    }
    const text = await response.text();
    let parsed: unknown = text;
    try { parsed = text ? JSON.parse(text) : null; } catch { /* not JSON */ }
    return { status: response.status, headers: response.headers, body: parsed, text };
  }

  signUp(email: string, password = 'correct horse battery') { return this.call('POST', '/api/auth/sign-up/email', { name: email.split('@')[0], email, password }); }
  signIn(email: string, password = 'correct horse battery') { return this.call('POST', '/api/auth/sign-in/email', { email, password }); }

  cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  async token(): Promise<string> {
    const answer = await this.call('GET', '/api/auth/token');
    expect(answer.status, answer.text).toBe(200);
    return (answer.body as { token: string }).token;
  }
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe('accounts', () => {
  let t: TestSystem;
  beforeAll(async () => { t = await startTestSystem(); });

  it('signs up, signs in, and the token of the session creates a task owned by the account\'s user id', async () => {
    const client = new AccountClient(t);
    const signedUp = await client.signUp('ada@example.com');
    expect(signedUp.status, signedUp.text).toBe(200);
    const userId = (signedUp.body as { user: { id: string } }).user.id;

    const fresh = new AccountClient(t);
    expect((await fresh.signIn('ada@example.com')).status).toBe(200);
    const session = await fresh.call('GET', '/api/auth/get-session');
    expect(session.body).toMatchObject({ user: { id: userId, email: 'ada@example.com' } });

    const token = await fresh.token();
    expect(decodeJwt(token)).toMatchObject({ sub: userId, email: 'ada@example.com', roles: [] });
    const created = await fresh.call('POST', '/api/tasks', { title: 'Mine' }, bearer(token));
    expect(created.status, created.text).toBe(201);
    const { task_id: id, position } = created.body as { task_id: string; position: number };
    const afterIt = { 'x-min-position': String(position) };
    expect((await fresh.call('GET', `/api/tasks/${id}`, undefined, { ...bearer(token), ...afterIt })).status).toBe(200);
    expect((await t.call('GET', `/api/tasks/${id}`, { user: userId, headers: afterIt })).status).toBe(200);
    expect((await t.call('GET', `/api/tasks/${id}`, { user: 'someone-else', headers: afterIt })).status).toBe(404);
  });

  it('keeps accepting the tokens of AUTH_JWT_SECRET beside the accounts\'', async () => {
    expect((await t.call('GET', '/api/tasks', { user: 'alice' })).status).toBe(200);
  });

  it('opens the live feed with an account token', async () => {
    const client = new AccountClient(t);
    await client.signUp('feed@example.com');
    const token = await client.token();
    const feed = new FeedClient(`${t.baseUrl.replace('http', 'ws')}/ws`, { headers: bearer(token) });
    await feed.opened;
    await feed.until((frames) => frames.some((frame) => frame.type === 'ready'));
    await client.call('POST', '/api/tasks', { title: 'Live' }, bearer(token));
    await feed.until(() => feed.changes().length >= 1);
    expect(feed.changes()[0]?.task?.title).toBe('Live');
    feed.close();
  });

  it('answers a wrong password and an unknown email the same', async () => {
    const client = new AccountClient(t);
    await client.signUp('grace@example.com');
    const wrongPassword = await new AccountClient(t).signIn('grace@example.com', 'not the password');
    const unknownEmail = await new AccountClient(t).signIn('nobody@example.com', 'not the password');
    expect(wrongPassword.status).toBe(401);
    expect(wrongPassword.headers.get('content-type')).toContain('application/problem+json');
    // Better Auth's clients read `code` and `message`; they are kept beside the problem's members.
    expect(wrongPassword.body).toMatchObject({ type: 'urn:todo:problem:unauthorized', status: 401, code: 'INVALID_EMAIL_OR_PASSWORD', message: 'Invalid email or password' });
    expect([unknownEmail.status, unknownEmail.text]).toEqual([wrongPassword.status, wrongPassword.text]);
  });

  it('refuses a second account for an email, and a password shorter than 8 characters', async () => {
    await new AccountClient(t).signUp('edsger@example.com');
    const again = await new AccountClient(t).signUp('Edsger@example.com', 'another password');
    expect(again.status).toBe(422);
    expect(again.body).toMatchObject({ type: 'urn:todo:problem:already_exists' });
    const short = await new AccountClient(t).signUp('shorty@example.com', 'short');
    expect(short.status).toBe(400);
    expect(short.body).toMatchObject({ type: 'urn:todo:problem:validation', code: 'PASSWORD_TOO_SHORT' });
  });

  it('refuses a token after sign-out, and get-session is empty', async () => {
    const client = new AccountClient(t);
    await client.signUp('linus@example.com');
    expect((await client.call('GET', '/api/auth/token')).status).toBe(200);
    expect((await client.call('POST', '/api/auth/sign-out')).status).toBe(200);
    expect((await client.call('GET', '/api/auth/get-session')).body).toBeNull();
    expect((await client.call('GET', '/api/auth/token')).status).toBe(401);
  });

  it('refuses a request that brings the session cookie from another origin or without one (CSRF)', async () => {
    const client = new AccountClient(t);
    await client.signUp('mallory-target@example.com');
    for (const origin of ['https://evil.example.com', null]) {
      const forged = new AccountClient(t, origin);
      const cookie = client.cookieHeader();
      const answer = await forged.call('POST', '/api/auth/revoke-sessions', undefined, { cookie });
      expect(answer.status, String(origin)).toBe(403);
      expect(answer.headers.get('content-type')).toContain('application/problem+json');
    }
    expect((await client.call('GET', '/api/auth/get-session')).body).toMatchObject({ user: { email: 'mallory-target@example.com' } });
  });

  it('refuses a revoked session its token, and get-session is empty', async () => {
    const laptop = new AccountClient(t);
    await laptop.signUp('barbara@example.com');
    const phone = new AccountClient(t);
    await phone.signIn('barbara@example.com');
    const sessionToken = ((await phone.call('GET', '/api/auth/get-session')).body as { session: { token: string } }).session.token;
    expect((await laptop.call('POST', '/api/auth/revoke-session', { token: sessionToken })).status).toBe(200);
    expect((await phone.call('GET', '/api/auth/get-session')).body).toBeNull();
    expect((await phone.call('GET', '/api/auth/token')).status).toBe(401);
    expect((await laptop.call('GET', '/api/auth/token')).status).toBe(200);
  });
});

describe('the password reset', () => {
  let t: TestSystem;
  beforeAll(async () => { t = await startTestSystem(); });

  const resetMails = () => t.logs.filter((line) => line['kind'] === 'password_reset');

  it('mails a link through the log channel, whose token sets a new password that signs in', async () => {
    await new AccountClient(t).signUp('margaret@example.com', 'the old password');
    const requested = await new AccountClient(t).call('POST', '/api/auth/request-password-reset', { email: 'margaret@example.com', redirectTo: '/reset' });
    expect(requested.status, requested.text).toBe(200);
    const [mail] = resetMails();
    expect(mail).toMatchObject({ delivered_via: 'log', channel: 'email', to: 'margaret@example.com', subject: 'Reset your Todo password' });
    const token = /\/api\/auth\/reset-password\/([^?\s]+)/.exec(String(mail?.['text']))?.[1];
    expect(token).toBeDefined();

    const link = await new AccountClient(t).call('GET', `/api/auth/reset-password/${token}?callbackURL=${encodeURIComponent('/reset')}`);
    expect(link.status).toBe(302);
    expect(link.headers.get('location')).toContain(`token=${token}`);

    const reset = await new AccountClient(t).call('POST', '/api/auth/reset-password', { token, newPassword: 'the new password' });
    expect(reset.status, reset.text).toBe(200);
    expect((await new AccountClient(t).signIn('margaret@example.com', 'the new password')).status).toBe(200);
    expect((await new AccountClient(t).signIn('margaret@example.com', 'the old password')).status).toBe(401);
    const again = await new AccountClient(t).call('POST', '/api/auth/reset-password', { token, newPassword: 'a third password' });
    expect(again.status).toBe(400);
  });

  it('refuses an email with more than 64 characters before the @ (the document\'s format: email), and documents the password bounds it checks', async () => {
    const long = await new AccountClient(t).call('POST', '/api/auth/request-password-reset', { email: `${'a'.repeat(65)}@example.com` });
    expect(long.status).toBe(400);
    expect(long.body).toMatchObject({ errors: [{ path: 'body.email' }] });
    const document = (await t.call('GET', '/api/openapi.json', { user: null })).body as { paths: Record<string, { post: { requestBody: { content: Record<string, { schema: { properties: Record<string, unknown> } }> } } }> };
    const field = (path: string, name: string) => document.paths[path]?.post.requestBody.content['application/json']?.schema.properties[name];
    expect(field('/api/auth/sign-up/email', 'password')).toMatchObject({ minLength: 8, maxLength: 128 });
    expect(field('/api/auth/reset-password', 'newPassword')).toMatchObject({ minLength: 8, maxLength: 128 });
  });

  it('counts a new password\'s characters as the document does (code points), astral ones included', async () => {
    const seven = await new AccountClient(t).signUp('astral7@example.com', '😀'.repeat(7));
    expect(seven.status).toBe(400);
    expect(seven.body).toMatchObject({ errors: [{ path: 'body.password' }] });
    expect((await new AccountClient(t).signUp('astral100@example.com', '😀'.repeat(100))).status).toBe(200);
    expect((await new AccountClient(t).signUp('astral129@example.com', '😀'.repeat(129))).status).toBe(400);
  });

  it('answers a request for an unknown email as for a known one, and mails nothing', async () => {
    const before = resetMails().length;
    const answer = await new AccountClient(t).call('POST', '/api/auth/request-password-reset', { email: 'nobody@example.com', redirectTo: '/reset' });
    const known = await new AccountClient(t).call('POST', '/api/auth/request-password-reset', { email: 'margaret@example.com', redirectTo: '/reset' });
    expect([answer.status, answer.text]).toEqual([known.status, known.text]);
    expect(resetMails().length).toBe(before + 1);
  });
});

describe('closed sign-up (AUTH_SIGNUP=closed)', () => {
  let t: TestSystem;
  beforeAll(async () => { t = await startTestSystem({ env: { AUTH_SIGNUP: 'closed' } }); });

  it('refuses to create an account', async () => {
    const answer = await new AccountClient(t).signUp('ada@example.com');
    expect(answer.status).toBe(403);
    expect(answer.body).toMatchObject({ type: 'urn:todo:problem:forbidden', title: 'Sign-up is closed' });
    expect((await new AccountClient(t).signIn('ada@example.com')).status).toBe(401);
  });
});

describe('sign-in attempts (3 per account, 6 per IP in the window)', () => {
  let t: TestSystem;
  beforeAll(async () => {
    t = await startTestSystem({ env: { AUTH_SIGNIN_MAX_PER_ACCOUNT: '3', AUTH_SIGNIN_MAX_PER_IP: '6' } });
    await new AccountClient(t).signUp('bob@example.com');
    await new AccountClient(t).signUp('carol@example.com');
  });

  it('refuses a fourth attempt on one account with 429 problem+json, even with the right password; another account still signs in', async () => {
    for (let attempt = 0; attempt < 3; attempt++) expect((await new AccountClient(t).signIn('bob@example.com', 'wrong guess')).status).toBe(401);
    const limited = await new AccountClient(t).signIn('BOB@example.com');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('content-type')).toContain('application/problem+json');
    expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(limited.body).toMatchObject({ type: 'urn:todo:problem:too_many_requests', status: 429 });
    expect((await new AccountClient(t).signIn('carol@example.com')).status).toBe(200);
  });

  it('refuses the IP once it made six attempts, whatever the account', async () => {
    expect((await new AccountClient(t).signIn('carol@example.com', 'wrong guess')).status).toBe(401);
    const limited = await new AccountClient(t).signIn('someone-new@example.com');
    expect(limited.status).toBe(429);
    expect(limited.body).toMatchObject({ type: 'urn:todo:problem:too_many_requests' });
  });
});

describe('sign-in attempts behind a trusted proxy (TRUST_PROXY), 2 per IP', () => {
  let t: TestSystem;
  beforeAll(async () => { t = await startTestSystem({ env: { TRUST_PROXY: '127.0.0.1', AUTH_SIGNIN_MAX_PER_IP: '2' } }); });

  const attemptFrom = (ip: string) =>
    new AccountClient(t).call('POST', '/api/auth/sign-in/email', { email: `${ip}@example.com`, password: 'wrong guess' }, { 'x-forwarded-for': ip });

  it('counts each client the proxy names, not the proxy', async () => {
    expect((await attemptFrom('203.0.113.1')).status).toBe(401);
    expect((await attemptFrom('203.0.113.1')).status).toBe(401);
    expect((await attemptFrom('203.0.113.1')).status).toBe(429);
    expect((await attemptFrom('203.0.113.2')).status).toBe(401);
  });
});

describe('the admin role, granted and revoked with `todo accounts`', () => {
  let t: TestSystem;
  beforeAll(async () => { t = await startTestSystem(); });

  const accountsCommand = async (...args: string[]) => {
    const run = runTodo(['accounts', ...args], { DATABASE_URL: t.system.database.db.url, LOG_LEVEL: 'warn' });
    return { code: await run.exited, output: run.output() };
  };

  it('puts roles ["admin"] into the account\'s next token, which reads another user\'s audit log', async () => {
    const client = new AccountClient(t);
    await client.signUp('root@example.com');
    const before = await client.token();
    expect(decodeJwt(before)['roles']).toEqual([]);
    expect((await client.call('GET', '/api/audit?user_id=alice', undefined, bearer(before))).status).toBe(403);

    const granted = await accountsCommand('grant-admin', 'Root@Example.com');
    expect(granted.code, granted.output).toBe(0);
    const admin = await client.token();
    expect(decodeJwt(admin)['roles']).toEqual(['admin']);
    const audit = await client.call('GET', '/api/audit?user_id=alice', undefined, bearer(admin));
    expect(audit.status, audit.text).toBe(200);

    expect((await accountsCommand('revoke-admin', 'root@example.com')).code).toBe(0);
    expect(decodeJwt(await client.token())['roles']).toEqual([]);
  });

  it('fails with exit code 1 for an email without an account', async () => {
    const run = await accountsCommand('grant-admin', 'nobody@example.com');
    expect(run.code).toBe(1);
    expect(run.output).toContain('no account has the email nobody@example.com');
  });
});
