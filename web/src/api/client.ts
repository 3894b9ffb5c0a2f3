import createClient, { type Middleware } from 'openapi-fetch';
import type { Auth } from '../auth/auth.ts';
import type { paths } from './schema';

/*
 * The typed client of the API (generated types, openapi-fetch). It adds the bearer token, asks reads to
 * include the person's latest write (X-Min-Position, docs/architecture.md §6.4), and turns a 401 into a
 * renewal or a sign-out with a reason.
 */

export type Api = ReturnType<typeof createClient<paths>>;

/** The highest command position this page has seen: queries wait for the read model to pass it. */
let seenPosition = 0;
export const notePosition = (position: number): void => { seenPosition = Math.max(seenPosition, position); };

/** The reads that take X-Min-Position (the others read the event store itself). */
const READS_WITH_POSITION = new Set(['/api/tasks', '/api/tasks/count', '/api/tasks/{id}', '/api/tasks/{id}/occurrences', '/api/audit', '/api/notifications']);

export function apiClient(auth: Auth): Api {
  const client = createClient<paths>({ baseUrl: location.origin });
  const middleware: Middleware = {
    async onRequest({ request, schemaPath }) {
      const token = await auth.token();
      if (token) request.headers.set('authorization', `Bearer ${token}`);
      if (request.method === 'GET' && seenPosition > 0 && READS_WITH_POSITION.has(schemaPath)) {
        request.headers.set('x-min-position', String(seenPosition));
      }
      return request;
    },
    async onResponse({ response }) {
      if (response.status === 401) await auth.rejected();
      return response;
    },
  };
  client.use(middleware);
  return client;
}
