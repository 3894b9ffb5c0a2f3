import { expiresInMs, readClaims, type Claims } from './jwt.ts';

/*
 * The app's auth layer (docs/adr/0021-web-app.md): Better Auth's email/password endpoints under /api/auth set a
 * session cookie; the API and the live feed take a JWT, which GET /api/auth/token makes for the session. The
 * JWT is kept in localStorage (so tabs share it) and fetched anew a minute before it runs out. A development
 * token (`npm run token -- --user alice`) can be used instead: it is kept the same way but cannot be renewed,
 * so when it runs out the person is signed out with a message saying so.
 */

export const TOKEN_KEY = 'todo.token';
/** `session`: the JWT comes from a Better Auth session and is renewed; `pasted`: a development token. */
export const TOKEN_SOURCE_KEY = 'todo.token-source';
const RENEW_BEFORE_MS = 60_000;

export type SignedOutReason = 'signed-out' | 'expired' | null;

export interface AuthState {
  readonly token: string | null;
  readonly claims: Claims | null;
  /** Why there is no token: shown on the sign-in page. */
  readonly reason: SignedOutReason;
}

export interface AuthResult { readonly ok: boolean; readonly message?: string }

type Listener = (state: AuthState) => void;

async function problemMessage(response: Response, fallback: string): Promise<string> {
  try {
    const body = (await response.json()) as { message?: unknown; detail?: unknown; title?: unknown };
    for (const field of [body.message, body.detail, body.title]) if (typeof field === 'string' && field) return field;
  } catch { /* no JSON body */ }
  return fallback;
}

/** Better Auth answers these codes for the cases a person must be told about. */
export function messageFor(status: number, said: string, action: 'sign-in' | 'sign-up' | 'reset'): string {
  if (action === 'sign-in' && (status === 401 || /invalid (email or )?password|credentials/i.test(said))) return 'Wrong email or password.';
  if (action === 'sign-up' && (status === 403 || /disabled|closed|not (allowed|enabled)/i.test(said))) return 'Sign-up is closed on this server. Ask an administrator for an account.';
  if (action === 'sign-up' && status === 422) return said || 'An account with this email exists already.';
  if (status === 404) return 'Accounts are not enabled on this server. Use a development token instead.';
  if (status === 429) return 'Too many attempts. Wait a minute and try again.';
  return said;
}

export class Auth {
  #state: AuthState;
  readonly #listeners = new Set<Listener>();
  #renewal: ReturnType<typeof setTimeout> | undefined;
  readonly #storage: Storage;
  readonly #fetch: typeof fetch;

  constructor(storage: Storage = localStorage, fetcher: typeof fetch = (...args) => fetch(...args)) {
    this.#storage = storage;
    this.#fetch = fetcher;
    this.#state = this.#fromStorage();
    this.#schedule();
    // Another tab signed in, renewed or signed out.
    addEventListener('storage', (event) => {
      if (event.key === TOKEN_KEY) this.#set(this.#fromStorage());
    });
  }

  get state(): AuthState { return this.#state; }

  subscribe(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** The current JWT, renewed first when it is about to run out; null when signed out. */
  async token(): Promise<string | null> {
    const { claims } = this.#state;
    if (claims && expiresInMs(claims) < RENEW_BEFORE_MS) await this.renew();
    return this.#state.token;
  }

  async signIn(email: string, password: string): Promise<AuthResult> {
    return this.#session('/api/auth/sign-in/email', { email, password }, 'sign-in');
  }

  async signUp(name: string, email: string, password: string): Promise<AuthResult> {
    return this.#session('/api/auth/sign-up/email', { name, email, password }, 'sign-up');
  }

  async signOut(): Promise<void> {
    if (this.#storage.getItem(TOKEN_SOURCE_KEY) === 'session') {
      await this.#fetch('/api/auth/sign-out', { method: 'POST', credentials: 'include', headers: { 'content-type': 'application/json' }, body: '{}' }).catch(() => undefined);
    }
    this.#clear('signed-out');
  }

  /** Sends the reset email; the link in it opens /reset-password?token=… */
  async requestPasswordReset(email: string): Promise<AuthResult> {
    const response = await this.#post('/api/auth/request-password-reset', { email, redirectTo: `${location.origin}/reset-password` });
    return response.ok ? { ok: true } : { ok: false, message: messageFor(response.status, await problemMessage(response, 'Could not send the email.'), 'reset') };
  }

  async resetPassword(token: string, newPassword: string): Promise<AuthResult> {
    const response = await this.#post('/api/auth/reset-password', { token, newPassword });
    return response.ok ? { ok: true } : { ok: false, message: messageFor(response.status, await problemMessage(response, 'The reset link is invalid or has expired.'), 'reset') };
  }

  /** A development token pasted by hand (`npm run token -- --user alice`). */
  useToken(token: string): AuthResult {
    const trimmed = token.trim();
    const claims = readClaims(trimmed);
    if (!claims) return { ok: false, message: 'That is not a token: paste the whole line `npm run token` printed.' };
    if (expiresInMs(claims) <= 0) return { ok: false, message: 'That token has expired. Make a new one with npm run token.' };
    this.#store(trimmed, 'pasted');
    return { ok: true };
  }

  /** The API refused the token (401): renew it from the session if there is one, else sign out saying why. */
  async rejected(): Promise<boolean> {
    if (this.#storage.getItem(TOKEN_SOURCE_KEY) === 'session' && (await this.renew())) return true;
    this.#clear('expired');
    return false;
  }

  /** A fresh JWT for the session's cookie; false (and signed out) when the session is gone. */
  async renew(): Promise<boolean> {
    if (this.#storage.getItem(TOKEN_SOURCE_KEY) !== 'session') {
      if (this.#state.claims && expiresInMs(this.#state.claims) <= 0) this.#clear('expired');
      return false;
    }
    try {
      const response = await this.#fetch('/api/auth/token', { credentials: 'include' });
      if (!response.ok) { this.#clear('expired'); return false; }
      const body = (await response.json()) as { token?: unknown };
      if (typeof body.token !== 'string') { this.#clear('expired'); return false; }
      this.#store(body.token, 'session');
      return true;
    } catch {
      return false; // offline: keep the token; the API will say when it no longer does
    }
  }

  async #session(path: string, body: Record<string, string>, action: 'sign-in' | 'sign-up'): Promise<AuthResult> {
    let response: Response;
    try {
      response = await this.#post(path, body);
    } catch {
      return { ok: false, message: 'The server cannot be reached. Check your connection.' };
    }
    if (!response.ok) return { ok: false, message: messageFor(response.status, await problemMessage(response, 'That did not work.'), action) };
    this.#storage.setItem(TOKEN_SOURCE_KEY, 'session');
    return (await this.renew()) ? { ok: true } : { ok: false, message: 'Signed in, but the server gave no token for the session.' };
  }

  #post(path: string, body: unknown): Promise<Response> {
    return this.#fetch(path, { method: 'POST', credentials: 'include', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  }

  #fromStorage(): AuthState {
    const token = this.#storage.getItem(TOKEN_KEY);
    const claims = token ? readClaims(token) : null;
    if (!token || !claims) return { token: null, claims: null, reason: null };
    if (expiresInMs(claims) <= 0 && this.#storage.getItem(TOKEN_SOURCE_KEY) !== 'session') return { token: null, claims: null, reason: 'expired' };
    return { token, claims, reason: null };
  }

  #store(token: string, source: 'session' | 'pasted'): void {
    this.#storage.setItem(TOKEN_KEY, token);
    this.#storage.setItem(TOKEN_SOURCE_KEY, source);
    this.#set({ token, claims: readClaims(token), reason: null });
  }

  #clear(reason: SignedOutReason): void {
    this.#storage.removeItem(TOKEN_KEY);
    this.#storage.removeItem(TOKEN_SOURCE_KEY);
    this.#set({ token: null, claims: null, reason });
  }

  #set(state: AuthState): void {
    this.#state = state;
    this.#schedule();
    for (const listener of this.#listeners) listener(state);
  }

  /** Renew a minute before expiry; a pasted token is signed out when it runs out. */
  #schedule(): void {
    clearTimeout(this.#renewal);
    const { claims } = this.#state;
    if (!claims || claims.exp === undefined) return;
    const wait = Math.max(0, Math.min(expiresInMs(claims) - RENEW_BEFORE_MS, 2 ** 31 - 1));
    this.#renewal = setTimeout(() => { void this.renew(); }, this.#storage.getItem(TOKEN_SOURCE_KEY) === 'session' ? wait : Math.max(0, Math.min(expiresInMs(claims), 2 ** 31 - 1)));
  }
}
