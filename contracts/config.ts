import { z } from 'zod';

const optionalText = z.string().trim().min(1).optional().catch(undefined);

const LIFETIME_UNIT_SECONDS: Readonly<Record<string, number>> = { '': 1, s: 1, m: 60, h: 3_600, d: 86_400, w: 604_800 };

/** Environment configuration. Every variable the process reads is here, with its default. */
export const Config = z
  .object({
    PORT: z.coerce.number().int().min(0).max(65535).default(8000),
    HOST: z.string().default('0.0.0.0'),
    DATA_DIR: z.string().min(1).default('./.data'),
    DATABASE_URL: optionalText,
    DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
    AUTH_JWT_SECRET: optionalText,
    BETTER_AUTH_SECRET: optionalText,
    AUTH_JWKS_URL: z.url().optional(),
    AUTH_ISSUER: optionalText,
    AUTH_AUDIENCE: optionalText,
    // Accounts (ADR 0020): whether anyone may sign up, the public base URL (issuer and audience of the
    // account tokens, and where the reset link points; default http://localhost:PORT), how long an
    // account token is valid, and how many sign-in attempts an IP and an account get per window.
    AUTH_SIGNUP: z.enum(['open', 'closed']).default('open'),
    BETTER_AUTH_URL: z.url().optional(),
    AUTH_TOKEN_MINUTES: z.coerce.number().int().min(1).max(60).default(15),
    AUTH_SIGNIN_WINDOW_MINUTES: z.coerce.number().int().min(1).max(1440).default(15),
    AUTH_SIGNIN_MAX_PER_IP: z.coerce.number().int().min(1).default(50),
    AUTH_SIGNIN_MAX_PER_ACCOUNT: z.coerce.number().int().min(1).default(10),
    // Whose X-Forwarded-For to believe for the client's address (the per-IP limits, the logs): unset, no
    // one's; `true`, any proxy's; otherwise the proxies' addresses or CIDRs, comma-separated.
    TRUST_PROXY: z.string().trim().min(1).optional()
      .transform((value) => (value === undefined || value === 'false' ? false : value === 'true' ? true : value)),
    // A token without `exp` would be good forever; `false` accepts such tokens (e.g. from an identity provider that sets none).
    AUTH_REQUIRE_EXP: z.enum(['true', 'false']).default('true').transform((value) => value === 'true'),
    // The longest a token may still have to live, `<n>` seconds or `<n>s|m|h|d|w`; `npm run token` mints 30-day tokens.
    AUTH_MAX_TOKEN_LIFETIME: z.string().trim().default('30d').transform((text) => {
      const [, count, unit] = /^(\d+)([smhdw]?)$/.exec(text) ?? [];
      return Number(count) * (LIFETIME_UNIT_SECONDS[unit ?? ''] ?? Number.NaN);
    })
      .pipe(z.number().int().min(1).max(Number.MAX_SAFE_INTEGER)),
    TRANSPORT: z.enum(['log', 'dapr']).default('log'),
    DAPR_HTTP_PORT: z.coerce.number().int().min(1).max(65535).default(3500),
    PUBSUB_NAME: z.string().min(1).default('kafka-pubsub'),
    SENDGRID_API_KEY: optionalText,
    SENDGRID_FROM: optionalText,
    FIREBASE_CREDENTIALS: optionalText,
    // Another SendGrid API host (e.g. the EU region's); tests point it at a local recording server.
    SENDGRID_BASE_URL: z.url().optional(),
    // How often the reminder scheduler looks for due reminders; 0 runs none in this process.
    REMINDER_TICK_SECONDS: z.coerce.number().int().min(0).max(60).default(1),
    // A reminder found more than this late (after downtime) is recorded as missed instead of sent.
    REMINDER_MAX_LATENESS_MINUTES: z.coerce.number().int().min(1).max(525_600).default(1440),
    READ_YOUR_WRITES_TIMEOUT_MS: z.coerce.number().int().min(0).max(60_000).default(5000),
    // /ready answers 503 until this process's projectors are within this many events of the log head (0: never).
    READY_MAX_LAG_EVENTS: z.coerce.number().int().min(0).default(10_000),
    PROJECTION_BATCH_SIZE: z.coerce.number().int().min(1).max(10_000).default(500),
    // The least time between two batches of a paced projector while appends keep coming (ADR 0046); 0: unpaced.
    PROJECTION_PACE_MS: z.coerce.number().int().min(0).max(1000).default(25),
    WS_HEARTBEAT_SECONDS: z.coerce.number().min(0.1).max(3600).default(30),
    WS_MAX_BUFFERED_BYTES: z.coerce.number().int().min(1024).default(1_048_576),
    LIVE_MAX_REPLAY_EVENTS: z.coerce.number().int().min(1).default(10_000),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  })
  .transform(({ BETTER_AUTH_SECRET, AUTH_JWT_SECRET, BETTER_AUTH_URL, ...rest }) => ({
    ...rest,
    BETTER_AUTH_URL: (BETTER_AUTH_URL ?? `http://localhost:${rest.PORT}`).replace(/\/+$/, ''),
    // BETTER_AUTH_SECRET is accepted so a Better Auth deployment can share its secret as is.
    AUTH_JWT_SECRET: AUTH_JWT_SECRET ?? BETTER_AUTH_SECRET,
  }));
export type Config = z.infer<typeof Config>;
