import { Writable } from 'node:stream';
import { afterAll } from 'vitest';
import { loadConfig } from '../../app/config.ts';
import { createLogger } from '../../app/logger.ts';
import { createSystem, type System, type SystemOptions } from '../../app/system.ts';
import { mintToken } from '../../gateways/auth/mint-token.ts';
import { testDatabase } from './test-database.ts';
import { freePort } from '../distributed/support/free-port.ts';

export const TEST_SECRET = 'test-secret-that-is-long-enough-for-hs256-0123456789';

export interface TestSystem {
  readonly system: System;
  readonly baseUrl: string;
  /** Every JSON log line the system wrote. */
  readonly logs: Array<Record<string, unknown>>;
  token(userId: string, options?: { admin?: boolean; email?: string }): Promise<string>;
  /** fetch against the system with a bearer token for `userId` (or none when null). */
  call(method: string, path: string, options?: { user?: string | null; body?: unknown; rawBody?: string; headers?: Record<string, string> }): Promise<TestResponse>;
}

export interface TestResponse { readonly status: number; readonly headers: Headers; readonly body: unknown; readonly text: string }

/** The whole system on a real socket against its own fresh database (or the one given), closed after the file. */
export async function startTestSystem(options: SystemOptions & { env?: Record<string, string>; knownOrigin?: boolean; databaseUrl?: string } = {}): Promise<TestSystem> {
  // A database of its own unless given one (a restored system of the recovery drill).
  const url = options.databaseUrl ?? (await testDatabase()).url;
  // A browser's requests carry an Origin the accounts check against BETTER_AUTH_URL: the port is chosen first.
  const port = options.knownOrigin ? await freePort() : 0;
  const origin = options.knownOrigin ? { BETTER_AUTH_URL: `http://127.0.0.1:${port}` } : {};
  const config = loadConfig({ DATABASE_URL: url, AUTH_JWT_SECRET: TEST_SECRET, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info', ...origin, ...options.env });
  const logs: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) logs.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  // The production logger (format, redaction), at the configured LOG_LEVEL, into the sink.
  const logger = createLogger(config.LOG_LEVEL, 'todo', sink);
  const system = await createSystem(config, logger, options);
  await system.http.listen({ port, host: '127.0.0.1' });
  const address = system.http.addresses()[0];
  const baseUrl = `http://127.0.0.1:${address && typeof address === 'object' ? address.port : 0}`;
  afterAll(() => system.close());

  const token = (userId: string, extra: { admin?: boolean; email?: string } = {}) => mintToken({ secret: TEST_SECRET, userId, ...extra });
  return {
    system, baseUrl, logs, token,
    async call(method, path, callOptions = {}) {
      const user = callOptions.user === undefined ? 'alice' : callOptions.user;
      const headers: Record<string, string> = { ...callOptions.headers };
      if (user !== null) headers['authorization'] = `Bearer ${await token(user)}`;
      const body = callOptions.rawBody ?? (callOptions.body === undefined ? undefined : JSON.stringify(callOptions.body));
      if (body !== undefined) headers['content-type'] ??= 'application/json';
      const response = await fetch(`${baseUrl}${path}`, { method, headers, ...(body === undefined ? {} : { body }) });
      const text = await response.text();
      let parsed: unknown = text;
      try { parsed = text ? JSON.parse(text) : null; } catch { /* not JSON: keep the text */ }
      return { status: response.status, headers: response.headers, body: parsed, text };
    },
  };
}
