import type { AuthSetup } from './auth.ts';
import { mintToken } from '../gateways/auth/mint-token.ts';

/** What a person starting Todo on a laptop needs to make the first call. */
export async function startBanner(url: string, auth: AuthSetup): Promise<string> {
  const lines = [
    ``, `  Todo is running on ${url}`, `  Web app:   ${url}/`, `  API docs:  ${url}/docs`,
    `  Accounts:  ${url}/api/auth/* (sign up, sign in, then GET /api/auth/token: README, Accounts)`, ``,
  ];
  if (auth.generated && auth.secret) {
    const token = await mintToken({ secret: auth.secret, userId: 'demo', email: 'demo@example.com' });
    lines.push(
      `  A development token for user "demo", signed with the secret in ${auth.secretFile ?? 'DATA_DIR/auth-secret'}`,
      `  (mint more with npm run token -- --user ID; with this server's DATA_DIR if it is not the default;`,
      `  the web app takes it on its sign-in page, under "Developers: use a token"):`,
      ``,
      `  export TOKEN=${token}`,
      ``,
      `  curl -s -X POST ${url}/api/tasks -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \\`,
      `       -d '{"title":"Try Todo","priority":"high","tags":["demo"]}'`,
      ``,
    );
  }
  return lines.join('\n');
}
