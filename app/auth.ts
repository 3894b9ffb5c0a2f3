import { join } from 'node:path';
import type { Config } from '../contracts/config.ts';
import { generateSecret } from '../gateways/auth/generate-secret.ts';
import { createTokenVerifier, type TokenVerifier } from '../gateways/auth/verify-token.ts';
import { writeFileIfAbsent } from '../gateways/postgres/data-dir-lock.ts';

export interface AuthSetup {
  readonly verifier: TokenVerifier;
  /** The HS256 secret, when there is one: `todo token` and the start banner mint with it. */
  readonly secret: string | undefined;
  /** True when no secret was configured and one was generated into DATA_DIR for local use. */
  readonly generated: boolean;
}

export const GENERATED_SECRET_FILE = 'auth-secret';

/** AUTH_JWT_SECRET / AUTH_JWKS_URL when configured; otherwise a secret generated once into DATA_DIR. */
export async function setUpAuth(config: Config): Promise<AuthSetup> {
  const options = {
    ...(config.AUTH_ISSUER ? { issuer: config.AUTH_ISSUER } : {}),
    ...(config.AUTH_AUDIENCE ? { audience: config.AUTH_AUDIENCE } : {}),
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
  const secret = await writeFileIfAbsent(join(config.DATA_DIR, GENERATED_SECRET_FILE), generateSecret);
  return { verifier: createTokenVerifier({ ...options, secret }), secret, generated: true };
}
