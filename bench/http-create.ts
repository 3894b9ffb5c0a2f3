import { runLoad, type LoadResult } from './load.ts';

export const CREATE_USER = 'bench-http';

const BODY = JSON.stringify({
  title: 'Prepare the release notes',
  description: 'Collect the merged changes and write them up for the team',
  priority: 'high',
  tags: ['work', 'release'],
  due: { datetime: '2026-12-01T09:00', timezone: 'Europe/Berlin' },
  reminders: [{ before_minutes: 60 }],
});

/** POST /api/tasks at a fixed number of connections: each request creates a new task. */
export async function measureHttpCreate(
  baseUrl: string,
  token: string,
  options: { readonly connections: number; readonly seconds: number },
): Promise<LoadResult> {
  return runLoad({
    url: baseUrl,
    connections: options.connections,
    seconds: options.seconds,
    maxRequests: 200_000,
    tokens: { [CREATE_USER]: token },
    kinds: [{ kind: 'create', method: 'POST', body: BODY, variants: [{ path: '/api/tasks', user: CREATE_USER }] }],
  });
}
