import type { Logger } from 'pino';
import type { Config } from '../contracts/config.ts';
import type { EmailSender } from '../contracts/ports/reminder-senders.ts';
import { createAccounts, type Accounts } from '../gateways/accounts/better-auth.ts';
import { createAccountTokenVerifier, verifierByIssuer } from '../gateways/auth/account-token-verifier.ts';
import type { TokenVerifier } from '../gateways/auth/verify-token.ts';
import type { AuthSetup } from './auth.ts';
import { accountsSecret } from './auth.ts';

/** The accounts of this deployment (Better Auth over the same database), configured from the environment. */
export async function setUpAccounts(config: Config, auth: AuthSetup, databaseUrl: string, email: EmailSender, logger: Logger): Promise<Accounts> {
  return createAccounts({
    databaseUrl,
    secret: await accountsSecret(config, auth),
    baseUrl: config.BETTER_AUTH_URL,
    signUp: config.AUTH_SIGNUP,
    tokenLifetimeSeconds: config.AUTH_TOKEN_MINUTES * 60,
    email,
    logger,
  });
}

/** The configured verifier, and beside it the accounts' own tokens, told apart by their issuer. */
export function acceptingAccountTokens(verifier: TokenVerifier, accounts: Accounts): TokenVerifier {
  const accountTokens = createAccountTokenVerifier({ publicKeys: () => accounts.publicKeys(), issuer: accounts.baseUrl, audience: accounts.baseUrl });
  return verifierByIssuer({ issuer: accounts.baseUrl, verifier: accountTokens }, verifier);
}
