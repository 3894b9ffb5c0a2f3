import { chmod, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb } from './db.ts';
import { startEmbeddedPostgres } from './embedded.ts';

/** The server's address as the connection sees it: null over a Unix-domain socket. */
async function serverAddress(url: string): Promise<string | null> {
  const db = createDb(url, { max: 1 });
  try {
    const result = await db.query<{ address: string | null }>('SELECT inet_server_addr()::text AS address');
    return result.rows[0]?.address ?? null;
  } finally {
    await db.close();
  }
}

describe('the embedded PostgreSQL', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'todo-socket-'));
    await chmod(dir, 0o755); // as root the server runs as the postgres user, which must reach the folder
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('answers the process that started it over its Unix-domain socket, and other programs over TCP', async () => {
    const server = await startEmbeddedPostgres(join(dir, 'short'));
    try {
      expect(server.localUrl).not.toEqual(server.url);
      expect(await serverAddress(server.localUrl)).toBeNull();
      expect(await serverAddress(server.url)).toEqual('127.0.0.1/32');
    } finally {
      await server.stop();
    }
  });

  it.each([
    ['the socket\'s path would be too long for the operating system', join('a-folder-whose-name-is-long-enough'.repeat(2), 'to-push-the-socket-path-past-the-limit')],
    ['the folder\'s name holds what the server\'s setting splits at', 'a folder, with spaces'],
  ])('answers over TCP alone where %s', async (_, name) => {
    const data = join(dir, name);
    await mkdir(data, { recursive: true });
    for (let folder = data; folder.startsWith(dir) && folder !== dir; folder = join(folder, '..')) await chmod(folder, 0o755);
    const server = await startEmbeddedPostgres(data);
    try {
      expect(server.localUrl).toEqual(server.url);
      expect(await serverAddress(server.localUrl)).toEqual('127.0.0.1/32');
    } finally {
      await server.stop();
    }
  });
});
