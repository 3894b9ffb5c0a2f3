import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Config } from '../contracts/config.ts';
import { generateSecret } from '../gateways/auth/generate-secret.ts';
import { createTokenVerifier, type TokenVerifier } from '../gateways/auth/verify-token.ts';
import { writeFileIfAbsent } from '../gateways/postgres/data-dir-lock.ts';

export interface AuthSetup {
  readonly verifier: TokenVerifier;
  /** The HS256 secret, when there is one: the start banner mints with it. */
  readonly secret: string | undefined;
  /** True when no secret was configured and one was generated into DATA_DIR for local use. */
  readonly generated: boolean;
  /** Where the generated secret is kept (absolute), when it was generated. */
  readonly secretFile?: string;
}

export const GENERATED_SECRET_FILE = 'auth-secret';

/** AUTH_JWT_SECRET / AUTH_JWKS_URL when configured; otherwise a secret generated once into DATA_DIR. */
export async function setUpAuth(config: Config): Promise<AuthSetup> {
  const options = {
    ...(config.AUTH_ISSUER ? { issuer: config.AUTH_ISSUER } : {}),
    ...(config.AUTH_AUDIENCE ? { audience: config.AUTH_AUDIENCE } : {}),
    requireExpiry: config.AUTH_REQUIRE_EXP,
    maxLifetimeSeconds: config.AUTH_MAX_TOKEN_LIFETIME,
  };
  if (config.AUTH_JWT_SECRET || config.AUTH_JWKS_URL) {
    return {
      verifier: createTokenVerifier({
        ...options,
        ...(config.AUTH_JWT_SECRET ? { secret: config.AUTH_JWT_SECRET } : {}),
        ...(config.AUTH_JWKS_URL ? { jwksUrl: config.AUTH_JWKS_URL } : {}),
      }),
      secret: config.AUTH_JWT_SECRET,
      generated: false,
    };
  }
  const secretFile = generatedSecretFile(config);
  const secret = await writeFileIfAbsent(secretFile, generateSecret);
  return { verifier: createTokenVerifier({ ...options, secret }), secret, generated: true, secretFile };
}

/**
 * What the accounts sign their cookies and encrypt their keys with: the HS256 secret when there is one (it
 * is BETTER_AUTH_SECRET's value too), else the secret generated into DATA_DIR, made now in the JWKS-only mode.
 */
export async function accountsSecret(config: Config, auth: AuthSetup): Promise<string> {
  return auth.secret ?? writeFileIfAbsent(generatedSecretFile(config), generateSecret);
}

const generatedSecretFile = (config: Config): string => resolve(join(config.DATA_DIR, GENERATED_SECRET_FILE));

export interface SigningSecret {
  readonly secret: string;
  /** Which secret it is, for the person minting: the variable it came from, or the file. */
  readonly source: string;
}

/**
 * The HS256 secret `todo token` signs with: the one a server with the same environment verifies with. It
 * never generates one, as the server does on its first start: a token signed with a secret no server has
 * would be refused with a bare 401, far from its cause.
 */
export async function signingSecret(config: Config, env: NodeJS.ProcessEnv = process.env): Promise<SigningSecret> {
  if (config.AUTH_JWT_SECRET) {
    const variable = env['AUTH_JWT_SECRET']?.trim() ? 'AUTH_JWT_SECRET' : 'BETTER_AUTH_SECRET';
    return { secret: config.AUTH_JWT_SECRET, source: `${variable} from the environment` };
  }
  if (config.AUTH_JWKS_URL) {
    throw new Error('no HS256 secret: set AUTH_JWT_SECRET (with AUTH_JWKS_URL only, tokens come from your identity provider)');
  }
  const file = generatedSecretFile(config);
  const secret = (await readFile(file, 'utf8').catch((error: unknown) => {
    if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return '';
    throw error;
  })).trim();
  if (secret === '') {
    throw new Error(
      `no secret to sign with: AUTH_JWT_SECRET is unset and ${file} does not exist (yet).\n` +
        '  The server writes that file on its first start with this DATA_DIR (npm start). If it runs with\n' +
        '  another DATA_DIR, pass the same one (e.g. DATA_DIR=/var/lib/todo npm run token -- --user alice);\n' +
        '  if it runs with AUTH_JWT_SECRET, set the same value here.',
    );
  }
  return { secret, source: `the secret in ${file} (AUTH_JWT_SECRET unset)` };
}
