import { mkdir, writeFile } from 'node:fs/promises';
import pino from 'pino';
import { buildEventSchemas } from '../contracts/openapi.ts';
import { buildHttpServer } from './http/server.ts';
import { serviceRoutes } from './http/service-routes.ts';
import { createMetrics } from './metrics.ts';
import { WEB_SCHEMA_FILE, webApiSchema } from './generate-web-schema.ts';

/*
 * `npm run generate`: the committed contracts in contracts/generated/ — the OpenAPI document of `todo serve
 * all`, taken from a server with its real route registrations, and the events' JSON Schemas. A test fails
 * when the committed files drift from what this makes.
 */

export const GENERATED_DIR = new URL('../contracts/generated/', import.meta.url);

/** Dependencies for a server that is only asked for its document: nothing behind them answers. */
const unavailable = (): Promise<never> => Promise.reject(new Error('not available: this server only documents its routes'));

/** The document `GET /api/openapi.json` of `todo serve all` answers, without a database. */
export async function publishedOpenApiDocument(): Promise<unknown> {
  const app = await buildHttpServer({
    logger: pino({ level: 'silent' }),
    metrics: createMetrics(),
    verifier: { verify: unavailable },
    db: { query: unavailable },
    routes: serviceRoutes({
      accounts: {
        accounts: { handler: unavailable, publicKeys: unavailable, baseUrl: 'http://localhost:8000', close: () => Promise.resolve() },
        signUp: 'open',
        limits: { windowMs: 60_000, perIp: 1, perAccount: 1 },
      },
      api: { commands: { handle: unavailable }, db: { query: unavailable }, waiter: { waitFor: unavailable }, clock: () => new Date(0), log: { readStream: unavailable } },
      live: {
        feed: { checkpoint: () => ({ transaction_id: '0', position: 0 }), subscribe: () => () => undefined, replay: unavailable, stop: () => Promise.resolve() },
        authenticate: () => Promise.resolve(null),
        authenticateToken: () => Promise.resolve(null),
        observer: { opened: () => undefined, closed: () => undefined, frameSent: () => undefined, slowConsumerDropped: () => undefined },
        heartbeatMs: 30_000,
        maxBufferedBytes: 0,
      },
      bus: { pubsubName: 'pubsub', subscriptions: [] },
    }),
  });
  try {
    await app.ready();
    return app.swagger();
  } finally {
    await app.close();
  }
}

export async function generatedFiles(): Promise<Record<string, string>> {
  const files: Record<string, string> = { 'openapi.json': `${JSON.stringify(await publishedOpenApiDocument(), null, 2)}\n` };
  for (const [name, schema] of Object.entries(buildEventSchemas())) files[`events/${name}`] = `${JSON.stringify(schema, null, 2)}\n`;
  return files;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await mkdir(new URL('events/', GENERATED_DIR), { recursive: true });
  for (const [name, text] of Object.entries(await generatedFiles())) {
    await writeFile(new URL(name, GENERATED_DIR), text);
    console.log(`wrote contracts/generated/${name}`);
  }
  await writeFile(WEB_SCHEMA_FILE, await webApiSchema(await publishedOpenApiDocument()));
  console.log('wrote web/src/api/schema.d.ts');
}
