import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startTestSystem, type TestSystem } from '../../test/support/test-system.ts';
import { needsBearerToken } from './auth-hook.ts';
import type { RegisteredRoute } from './route-catalogue.ts';
import { WEB_APP_ROUTE } from './web-app.routes.ts';

/*
 * The document served at /api/openapi.json against the routes the server really registered (its onRoute
 * hook sees each one): a route cannot exist without being documented with its parameters, its headers and
 * a problem+json answer for every error it can give.
 */

const Parameter = z.object({ name: z.string(), in: z.enum(['path', 'query', 'header', 'cookie']), required: z.boolean() });
const Response = z.object({ headers: z.record(z.string(), z.unknown()).optional(), content: z.record(z.string(), z.unknown()).optional() });
const Operation = z.object({ parameters: z.array(Parameter).optional(), responses: z.record(z.string(), Response) });
const OpenApiDocument = z.object({ paths: z.record(z.string(), z.record(z.string(), Operation)) });
type Operation = z.infer<typeof Operation>;

const PROBLEM = { schema: { $ref: '#/components/schemas/Problem' } };

/**
 * fastify answers HEAD for each GET by itself; the Swagger UI's own pages show the document, and the web
 * app's catch-all serves the app's files and page (app/http/web-app.routes.ts): they are not the API.
 */
const isApiRoute = (route: RegisteredRoute) => route.method !== 'HEAD' && route.url !== '/docs' && !route.url.startsWith('/docs/') && route.url !== WEB_APP_ROUTE;

const pathOf = (url: string) => url.replace(/:(\w+)/g, '{$1}');
const pathParams = (url: string) => [...url.matchAll(/:(\w+)/g)].map((match) => match[1]);
const isCommand = (route: RegisteredRoute) => route.url.startsWith('/api/tasks') && route.method !== 'GET';
/** The edge's own rule: every /api route but the document and the accounts' endpoints (/api/auth/*). */
const needsToken = (route: RegisteredRoute) => needsBearerToken(route.url);
/** fastify parses the body of these methods, whether the route wants one or not: 400, 413 and 415 can answer. */
const takesBody = (route: RegisteredRoute) => ['POST', 'PUT', 'PATCH', 'DELETE'].includes(route.method);
const queryNames = (schema: z.ZodType | undefined) => {
  const properties = schema ? z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }).properties : undefined;
  return Object.keys(properties ?? {});
};

/** Every error status a route can answer, from what the route is. */
function errorStatuses(route: RegisteredRoute): number[] {
  const statuses = new Set<number>();
  if (needsToken(route)) { statuses.add(401); statuses.add(503); }
  if (pathParams(route.url).length > 0) { statuses.add(400); statuses.add(404); }
  if (needsToken(route) && route.documentation?.query) statuses.add(400);
  if (takesBody(route)) { statuses.add(400); statuses.add(413); statuses.add(415); }
  if (isCommand(route)) { statuses.add(400); statuses.add(409); statuses.add(412); statuses.add(422); }
  if (route.url === '/ready') statuses.add(503);
  if (route.url === '/api/audit') statuses.add(403);
  return [...statuses].sort((a, b) => a - b);
}

/** The success answers that carry the task's version as ETag. */
function etagStatuses(route: RegisteredRoute): string[] {
  if (isCommand(route)) return [route.method === 'POST' && route.url === '/api/tasks' ? '201' : '200'];
  return route.method === 'GET' && route.url === '/api/tasks/:id' ? ['200'] : [];
}

const hasHeader = (headers: Record<string, unknown> | undefined, name: string) =>
  Object.keys(headers ?? {}).some((header) => header.toLowerCase() === name.toLowerCase());

describe.each([
  ['todo serve all', () => startTestSystem()],
  ['todo serve sync with TRANSPORT=dapr (the live feed and a bus subscription)', () => startTestSystem({ service: 'sync', env: { TRANSPORT: 'dapr' } })],
])('the OpenAPI document of %s', (_name, start) => {
  let t: TestSystem;
  let routes: RegisteredRoute[];
  let paths: z.infer<typeof OpenApiDocument>['paths'];
  const operation = (route: RegisteredRoute): Operation | undefined => paths[pathOf(route.url)]?.[route.method.toLowerCase()];
  const documented = (route: RegisteredRoute): Operation => {
    const found = operation(route);
    if (!found) throw new Error(`${route.method} ${route.url} is not documented`);
    return found;
  };

  beforeAll(async () => {
    t = await start();
    const served = await t.call('GET', '/api/openapi.json', { user: null });
    expect(served.status).toBe(200);
    paths = OpenApiDocument.parse(served.body).paths;
    routes = t.system.routes().filter(isApiRoute);
  });

  it('is served, and each HEAD route the server has is the one fastify adds to a GET', () => {
    expect(routes.length).toBeGreaterThan(3);
    const gets = new Set(t.system.routes().filter((route) => route.method === 'GET').map((route) => route.url));
    for (const head of t.system.routes().filter((route) => route.method === 'HEAD' && !route.url.startsWith('/docs'))) expect(gets, `HEAD ${head.url}`).toContain(head.url);
  });

  it('leaves out only HEAD, the Swagger UI pages and the web app\'s catch-all GET', () => {
    const left = t.system.routes().filter((route) => !isApiRoute(route) && route.method !== 'HEAD' && route.url !== '/docs' && !route.url.startsWith('/docs/'));
    expect(left.map((route) => `${route.method} ${route.url}`)).toEqual(left.length > 0 ? [`GET ${WEB_APP_ROUTE}`] : []);
  });

  it('names every registered route with its method', () => {
    expect(routes.filter((route) => !operation(route)).map((route) => `${route.method} ${route.url}`)).toEqual([]);
  });

  it('gives every route its path parameters (required) and its query parameters', () => {
    for (const route of routes) {
      const parameters = documented(route).parameters ?? [];
      for (const name of pathParams(route.url)) {
        expect(parameters, `${route.method} ${route.url}: path parameter ${name}`).toContainEqual({ name, in: 'path', required: true });
      }
      for (const name of queryNames(route.documentation?.query)) {
        expect(parameters.map((p) => `${p.in} ${p.name}`), `${route.method} ${route.url}: query parameter ${name}`).toContain(`query ${name}`);
      }
    }
  });

  it('gives every command its If-Match and Idempotency-Key request headers, and the ETag where the answer sends one', () => {
    for (const route of routes) {
      const { parameters = [], responses } = documented(route);
      if (isCommand(route)) {
        const headers = parameters.filter((p) => p.in === 'header').map((p) => p.name.toLowerCase());
        expect(headers, `${route.method} ${route.url}`).toEqual(expect.arrayContaining(['if-match', 'idempotency-key']));
      }
      for (const status of etagStatuses(route)) {
        expect(hasHeader(responses[status]?.headers, 'ETag'), `${route.method} ${route.url} ${status} ETag`).toBe(true);
      }
    }
    if (routes.some(isCommand)) expect(routes.filter(isCommand).length).toBe(5);
  });

  it('documents a problem+json answer for every error status a route can give, and answers errors only as problem+json', () => {
    for (const route of routes) {
      const { responses } = documented(route);
      for (const status of errorStatuses(route)) {
        expect(responses[String(status)]?.content, `${route.method} ${route.url} ${status}`).toEqual({ 'application/problem+json': PROBLEM });
      }
      for (const [status, response] of Object.entries(responses)) {
        if (Number(status) >= 400) expect(response.content, `${route.method} ${route.url} ${status}`).toEqual({ 'application/problem+json': PROBLEM });
      }
    }
  });
});
