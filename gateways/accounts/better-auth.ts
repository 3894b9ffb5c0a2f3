import { betterAuth, type BetterAuthOptions } from 'better-auth';
import { jwt } from 'better-auth/plugins/jwt';
import type { JSONWebKeySet } from 'jose';
import pg from 'pg';
import type { Logger } from 'pino';
import type { EmailSender } from '../../contracts/ports/reminder-senders.ts';

/** The bounds of a new password, in characters (code points), as the OpenAPI document states them. */
export const NEW_PASSWORD_MIN = 8;
export const NEW_PASSWORD_MAX = 128;

/** Where Better Auth answers: its standard endpoints below this path. */
export const ACCOUNTS_BASE_PATH = '/api/auth';

/** The role that makes an account an admin; kept on the account's user row (see account-roles.sql.ts). */
export const ADMIN_ROLE = 'admin';

export interface AccountsOptions {
  /** The same database as everything else; its tables come from migrations/011_accounts.sql. */
  readonly databaseUrl: string;
  /** Signs the session cookies and encrypts the JWT plugin's private keys at rest. */
  readonly secret: string;
  /** The server's public base URL: the reset link points there, and it is the tokens' issuer and audience. */
  readonly baseUrl: string;
  readonly signUp: 'open' | 'closed';
  readonly tokenLifetimeSeconds: number;
  /** How the password-reset mail goes out: the same channel as the reminders. */
  readonly email: EmailSender;
  /** Better Auth's own remarks (a failed sign-in, an error) go to our log, as JSON lines like the rest. */
  readonly logger: Logger;
}

export interface Accounts {
  /** Better Auth's handler: a Web Request in, a Web Response out. */
  handler(request: Request): Promise<Response>;
  /** The public keys the account tokens are signed with, read in process (no HTTP round trip). */
  publicKeys(): Promise<JSONWebKeySet>;
  /** The public base URL: requests are addressed to it, and it is the `iss` and `aud` of every account token. */
  readonly baseUrl: string;
  close(): Promise<void>;
}

/**
 * The Better Auth names of the tables are prefixed, so they stand apart from ours in the schema (and
 * `user`, a reserved word, is not a table name). migrations/011_accounts.sql creates them.
 */
export const ACCOUNT_TABLES = {
  user: 'auth_user',
  session: 'auth_session',
  account: 'auth_account',
  verification: 'auth_verification',
  jwks: 'auth_jwks',
} as const;

/** The options Better Auth runs with, and the migration was generated from. */
export function accountsOptions(options: AccountsOptions, database: pg.Pool) {
  return {
    appName: 'Todo',
    baseURL: options.baseUrl,
    basePath: ACCOUNTS_BASE_PATH,
    secret: options.secret,
    database,
    user: {
      modelName: ACCOUNT_TABLES.user,
      additionalFields: {
        // Not an input: sign-up cannot choose it; `todo accounts grant-admin` sets it.
        role: { type: 'string', required: false, input: false },
      },
    },
    session: { modelName: ACCOUNT_TABLES.session },
    account: { modelName: ACCOUNT_TABLES.account },
    verification: { modelName: ACCOUNT_TABLES.verification },
    emailAndPassword: {
      enabled: true,
      minPasswordLength: NEW_PASSWORD_MIN,
      // Better Auth counts UTF-16 units; 128 characters (code points, as documented) take up to twice as many.
      maxPasswordLength: NEW_PASSWORD_MAX * 2,
      disableSignUp: options.signUp === 'closed',
      // A reset ends every session of the account: whoever knew the old password is signed out.
      revokeSessionsOnPasswordReset: true,
      sendResetPassword: async ({ user, url }) => {
        const sent = await options.email.send({
          to: user.email,
          subject: 'Reset your Todo password',
          text: `Someone asked to reset the password of this Todo account. To choose a new one, open:\n\n${url}\n\nThe link is valid for one hour. If you did not ask, ignore this mail.`,
          reference: { kind: 'password_reset', user_id: user.id },
        });
        if (!sent.ok) throw new Error(`password reset mail to user ${user.id} failed: ${sent.error}`);
      },
    },
    // The HTTP edge limits sign-in per IP and per account (accounts.routes.ts); Better Auth's own
    // limiter would be a second, in-memory one.
    rateLimit: { enabled: false },
    // A request that brings the session cookie must come from a trusted origin (the base URL): the CSRF
    // check. Said explicitly, as Better Auth would skip it under NODE_ENV=test, and the tests are to see it.
    advanced: { disableOriginCheck: false },
    telemetry: { enabled: false },
    logger: {
      level: 'info',
      log: (level, message, ...args: unknown[]) => {
        const error = args.find((arg) => arg instanceof Error);
        options.logger[level]({ component: 'better-auth', ...(error ? { err: error } : {}) }, message);
      },
    },
    plugins: [
      jwt({
        jwks: { keyPairConfig: { alg: 'EdDSA', crv: 'Ed25519' } },
        schema: { jwks: { modelName: ACCOUNT_TABLES.jwks } },
        jwt: {
          issuer: options.baseUrl,
          audience: options.baseUrl,
          // A number would be taken as the `exp` itself; a span counts from now.
          expirationTime: `${options.tokenLifetimeSeconds}s`,
          definePayload: ({ user }) => ({
            email: user.email,
            roles: user['role'] === ADMIN_ROLE ? [ADMIN_ROLE] : [],
          }),
        },
      }),
    ],
  } satisfies BetterAuthOptions;
}

export function createAccounts(options: AccountsOptions): Accounts {
  const database = new pg.Pool({ connectionString: options.databaseUrl, max: 4 });
  const auth = betterAuth(accountsOptions(options, database));
  return {
    handler: (request) => auth.handler(request),
    publicKeys: async () => {
      const set = await auth.api.getJwks();
      return { keys: set.keys.map((key) => ({ ...key })) };
    },
    baseUrl: options.baseUrl,
    close: () => database.end(),
  };
}
