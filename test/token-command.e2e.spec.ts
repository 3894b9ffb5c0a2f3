import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt } from 'jose';
import { afterAll, describe, expect, it } from 'vitest';
import { createTokenVerifier } from '../gateways/auth/verify-token.ts';
import { MAIN } from './support/todo-process.ts';

/*
 * `npm run token` as a newcomer meets it: `node app/main.ts token ...` in a process of its own, with the
 * server's environment or without it.
 */

/** The environment of a shell with none of the auth variables set, plus `env`. */
function shellEnv(env: Record<string, string>): Record<string, string> {
  const inherited = Object.entries(process.env).filter((entry): entry is [string, string] =>
    entry[1] !== undefined && !['DATA_DIR', 'AUTH_JWT_SECRET', 'BETTER_AUTH_SECRET', 'AUTH_JWKS_URL'].includes(entry[0]));
  return { ...Object.fromEntries(inherited), ...env };
}

async function token(args: string[], env: Record<string, string>) {
  const child = spawn(process.execPath, [MAIN, 'token', ...args], { env: shellEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => { output += chunk.toString('utf8'); });
  child.stderr.on('data', (chunk: Buffer) => { output += chunk.toString('utf8'); });
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  return { code, output };
}

const made: string[] = [];
async function emptyDataDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'todo-token-'));
  made.push(dir);
  return dir;
}
afterAll(async () => { for (const dir of made) await rm(dir, { recursive: true, force: true }); });

async function dataDirWithSecret(secret: string): Promise<string> {
  const dir = await emptyDataDir();
  await writeFile(join(dir, 'auth-secret'), `${secret}\n`, { mode: 0o600 });
  return dir;
}

const printedToken = (output: string) => /^(eyJ\S+)$/m.exec(output)?.[1] ?? '';

describe('todo token', () => {
  it('signs with the secret the server generated into DATA_DIR, and says so on stderr', async () => {
    const dir = await dataDirWithSecret('the-servers-secret');
    const { code, output } = await token(['--user', 'alice', '--email', 'alice@example.com'], { DATA_DIR: dir });
    expect(code).toBe(0);
    expect(output).toContain(`signed with the secret in ${join(dir, 'auth-secret')} (AUTH_JWT_SECRET unset)`);
    const verified = await createTokenVerifier({ secret: 'the-servers-secret' }).verify(printedToken(output));
    expect(verified).toEqual({ ok: true, value: { user_id: 'alice', email: 'alice@example.com', roles: [], is_admin: false } });
  });

  it('fails, naming the file it looked for, when there is no secret, and creates none', async () => {
    const dir = await emptyDataDir();
    const { code, output } = await token(['--user', 'alice'], { DATA_DIR: dir });
    expect(code).toBe(1);
    expect(output).toContain(`AUTH_JWT_SECRET is unset and ${join(dir, 'auth-secret')} does not exist`);
    expect(output).toContain('pass the same one (e.g. DATA_DIR=/var/lib/todo npm run token -- --user alice)');
    expect(printedToken(output)).toBe('');
    expect(existsSync(join(dir, 'auth-secret'))).toBe(false);
  });

  it('signs with AUTH_JWT_SECRET when it is set, as the server verifies', async () => {
    const dir = await dataDirWithSecret('a-file-secret');
    const { code, output } = await token(['--user', 'bob', '--admin'], { DATA_DIR: dir, AUTH_JWT_SECRET: 'an-env-secret' });
    expect(code).toBe(0);
    expect(output).toContain('signed with AUTH_JWT_SECRET from the environment');
    expect(await createTokenVerifier({ secret: 'an-env-secret' }).verify(printedToken(output)))
      .toEqual({ ok: true, value: { user_id: 'bob', email: null, roles: ['admin'], is_admin: true } });
  });

  it('makes a token that lives as long as --expires says, 30 days without it', async () => {
    const dir = await dataDirWithSecret('s');
    const hour = await token(['--user', 'alice', '--expires', '1h'], { DATA_DIR: dir });
    const hourClaims = decodeJwt(printedToken(hour.output));
    expect((hourClaims.exp ?? 0) - (hourClaims.iat ?? 0)).toBe(3_600);
    expect(hour.output).toMatch(/valid until \S+Z \(1h\)/);
    const week = decodeJwt(printedToken((await token(['--user', 'alice', '--expires', '7d'], { DATA_DIR: dir })).output));
    expect((week.exp ?? 0) - (week.iat ?? 0)).toBe(7 * 86_400);
    const standard = decodeJwt(printedToken((await token(['--user', 'alice'], { DATA_DIR: dir })).output));
    expect((standard.exp ?? 0) - (standard.iat ?? 0)).toBe(30 * 86_400);
  });

  it('refuses an --expires it cannot read, saying what it takes', async () => {
    const dir = await dataDirWithSecret('s');
    const { code, output } = await token(['--user', 'alice', '--expires', 'tomorrow'], { DATA_DIR: dir });
    expect(code).toBe(1);
    expect(output).toContain('--expires tomorrow is not a lifetime: use a count with s, m, h, d or w, e.g. 30m, 1h, 7d');
    expect(printedToken(output)).toBe('');
  });

  it('prints its usage for --help, and its usage with the problem for an unknown option or a missing --user', async () => {
    const help = await token(['--help'], {});
    expect(help.code).toBe(0);
    expect(help.output).toMatch(/^usage: todo token --user ID \[--admin\] \[--email E\] \[--expires LIFETIME\]/);
    expect(help.output).toContain('--expires LIFETIME');
    const unknown = await token(['--user', 'alice', '--expire', '1h'], {});
    expect(unknown.code).toBe(2);
    expect(unknown.output).toContain("todo token: Unknown option '--expire'");
    expect(unknown.output).toContain('usage: todo token');
    const noUser = await token([], {});
    expect(noUser.code).toBe(2);
    expect(noUser.output).toContain('todo token: --user ID is required');
  });
});
