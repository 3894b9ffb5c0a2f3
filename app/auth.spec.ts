import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { signingSecret, setUpAuth } from './auth.ts';
import { loadConfig } from './config.ts';

const made: string[] = [];
const emptyDataDir = async () => {
  const dir = await mkdtemp(join(tmpdir(), 'todo-auth-'));
  made.push(dir);
  return dir;
};
afterAll(async () => { for (const dir of made) await rm(dir, { recursive: true, force: true }); });

describe('the secret `todo token` signs with', () => {
  it('is the one the server generated into DATA_DIR, named with its path', async () => {
    const dir = await emptyDataDir();
    const config = loadConfig({ DATA_DIR: dir });
    const server = await setUpAuth(config);
    expect(await signingSecret(config, {})).toEqual({
      secret: server.secret,
      source: `the secret in ${join(dir, 'auth-secret')} (AUTH_JWT_SECRET unset)`,
    });
  });

  it('is AUTH_JWT_SECRET, or its alias BETTER_AUTH_SECRET, when set, as for the server', async () => {
    const dir = await emptyDataDir();
    const env = { DATA_DIR: dir, AUTH_JWT_SECRET: 'from-env' };
    expect(await signingSecret(loadConfig(env), env)).toEqual({ secret: 'from-env', source: 'AUTH_JWT_SECRET from the environment' });
    const alias = { DATA_DIR: dir, BETTER_AUTH_SECRET: 'from-alias' };
    expect(await signingSecret(loadConfig(alias), alias)).toEqual({ secret: 'from-alias', source: 'BETTER_AUTH_SECRET from the environment' });
  });

  it('is never made up: without a secret file or variable it fails, saying where it looked and what to do', async () => {
    const dir = await emptyDataDir();
    const file = join(dir, 'auth-secret');
    await expect(signingSecret(loadConfig({ DATA_DIR: dir }), {})).rejects.toThrow(
      new RegExp(`AUTH_JWT_SECRET is unset and ${file} does not exist[\\s\\S]*DATA_DIR=/var/lib/todo npm run token`),
    );
    expect(existsSync(file)).toBe(false);
  });

  it('is refused when only a JWKS is configured: those tokens come from the identity provider', async () => {
    const dir = await emptyDataDir();
    const env = { DATA_DIR: dir, AUTH_JWKS_URL: 'https://id.example.com/jwks.json' };
    await expect(signingSecret(loadConfig(env), env)).rejects.toThrow(/no HS256 secret/);
  });

  it('is read as the server reads it, without the trailing newline', async () => {
    const dir = await emptyDataDir();
    await writeFile(join(dir, 'auth-secret'), 'kept-secret\n');
    expect((await signingSecret(loadConfig({ DATA_DIR: dir }), {})).secret).toBe('kept-secret');
    expect((await setUpAuth(loadConfig({ DATA_DIR: dir }))).secret).toBe((await readFile(join(dir, 'auth-secret'), 'utf8')).trim());
  });
});
