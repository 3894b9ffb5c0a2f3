import type { RegisteredRoute } from './route-catalogue.ts';

/** A route's URL as a pattern for concrete paths: `:name` is one segment, `*` the rest. */
function pathPattern(url: string): RegExp {
  const source = url.split('/').map((segment) =>
    segment === '*' ? '.*' : segment.startsWith(':') ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('/');
  return new RegExp(`^${source}$`);
}

/**
 * The methods the routes answer at `path`, for the Allow header of a 405; empty when no route has the path
 * (a 404). The catch-all `/*` does not count. fastify answers HEAD wherever it answers GET, and registers those HEAD routes itself.
 */
export function allowedMethods(routes: readonly RegisteredRoute[], path: string): string[] {
  const methods = new Set<string>();
  // A catch-all (the web app's `/*`) answers what no other route does; it makes no path exist for other methods.
  const candidates = routes.filter((route) => route.url !== '/*');
  // A path that is a route of its own (`/api/tasks/count`) is not a value of a neighbour's parameter (`/api/tasks/:id`).
  const exact = candidates.filter((route) => route.url === path);
  for (const route of exact.length > 0 ? exact : candidates) if (pathPattern(route.url).test(path)) methods.add(route.method);
  if (methods.has('GET')) methods.add('HEAD');
  return [...methods].sort();
}
