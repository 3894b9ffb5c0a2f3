import type { Logger } from 'pino';
import { setAdminRole } from '../gateways/accounts/account-roles.sql.ts';
import { loadConfig } from './config.ts';
import { connectDatabase } from './database.ts';

export const ACCOUNTS_USAGE = `  accounts grant-admin EMAIL | revoke-admin EMAIL
                                          give or take the admin role of an account (its next token)
`;

const USAGE = `usage: todo accounts grant-admin EMAIL
       todo accounts revoke-admin EMAIL

  Gives or takes the admin role (the audit log of every user) of the account signed up with EMAIL. The
  account's next token from GET /api/auth/token carries roles ["admin"] or no roles; a token issued
  before keeps its roles until it expires (AUTH_TOKEN_MINUTES). Uses the server's database: DATABASE_URL,
  or the embedded PostgreSQL in DATA_DIR (of the running server, or started for the command).
`;

/** `todo accounts …`: exit code 2 for a wrong invocation, 1 when no account has the email. */
export async function accountsCommand(args: string[], logger: Logger): Promise<void> {
  const [action, email, ...extra] = args;
  if (action === undefined || action === 'help' || action === '--help' || action === '-h') {
    process.stdout.write(USAGE);
    return;
  }
  if ((action !== 'grant-admin' && action !== 'revoke-admin') || !email || extra.length > 0) {
    process.stderr.write(`todo accounts: ${action === 'grant-admin' || action === 'revoke-admin' ? 'give one EMAIL' : `unknown action "${action}"`}\n\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  const database = await connectDatabase(loadConfig(), logger);
  try {
    const account = await setAdminRole(database.db, email, action === 'grant-admin');
    if (account === null) {
      process.stderr.write(`todo accounts: no account has the email ${email}\n`);
      process.exitCode = 1;
      return;
    }
    process.stdout.write(`${account.email} (user ${account.userId}) ${account.admin ? 'is an admin' : 'is no longer an admin'}: its next token says so\n`);
  } finally {
    await database.close();
  }
}
