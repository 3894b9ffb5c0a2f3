import { stat } from 'node:fs/promises';
import { posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';
import { problem } from '../../contracts/problem.ts';
import { sendProblem } from '../../contracts/problem-reply.ts';

/** Where `web/` builds the app to (docs/adr/0021-web-app.md). */
export const WEB_DIST_DIR = fileURLToPath(new URL('../../web/dist/', import.meta.url));

/** The one route of the web app: every GET no other route takes. It is the app, not the API, so the OpenAPI document leaves it out. */
export const WEB_APP_ROUTE = '/*';

/** Paths that keep their own meaning: an unknown one is a 404 problem, never the app's page. */
const NOT_THE_APP = [/^\/api(\/|$)/, /^\/ws$/, /^\/health$/, /^\/ready$/, /^\/metrics$/, /^\/docs(\/|$)/, /^\/dapr(\/|$)/];

/** Vite names built assets by their content's hash: a file there never changes, so browsers keep it for a year. */
const HASHED = /^\/assets\//;

const isFile = (path: string) => stat(path).then((s) => s.isFile(), () => false);

export interface WebAppOptions {
  /** The built app; default web/dist. */
  readonly root?: string;
}

/**
 * Serves the single-page app (docs/architecture.md §6.10): a built file when there is one, `index.html` for
 * any other path the app routes itself (/tasks/…, /audit), so a deep link or a reload works. `index.html`
 * is never cached, so a deploy is seen at the next load.
 */
export function registerWebApp(app: FastifyInstance, options: WebAppOptions = {}): void {
  const root = options.root ?? WEB_DIST_DIR;
  // Only reply.sendFile: which file a path gets is decided below.
  void app.register(fastifyStatic, { root, serve: false });
  app.get(WEB_APP_ROUTE, async (request, reply) => {
    const path = posix.normalize(decodeURIComponent(request.url.split('?')[0] ?? '/'));
    if (NOT_THE_APP.some((pattern) => pattern.test(path)) || path.includes('..')) return reply.callNotFound();
    if (path !== '/' && await isFile(posix.join(root, path))) {
      return HASHED.test(path)
        ? reply.sendFile(path.slice(1), { maxAge: '365d', immutable: true })
        : reply.header('cache-control', 'no-cache').sendFile(path.slice(1), { cacheControl: false });
    }
    // A missing asset is a 404, not the page: a stale page asking for an old bundle must see that it failed.
    if (posix.extname(path) !== '' || HASHED.test(path)) return reply.callNotFound();
    if (!(await isFile(posix.join(root, 'index.html')))) {
      return sendProblem(reply, problem('not_ready', 503, 'The web app is not built', { detail: 'run `npm run build:web` (npm start does it when web/ changed)' }));
    }
    return reply.header('cache-control', 'no-cache').type('text/html; charset=utf-8').sendFile('index.html', { cacheControl: false });
  });
}
