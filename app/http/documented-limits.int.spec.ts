import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { documentedAccepts } from '../../test/support/documented-string.ts';
import { startTestSystem, type TestSystem } from '../../test/support/test-system.ts';

interface Parameter { name: string; in: string; schema: Parameters<typeof documentedAccepts>[0] }
type Paths = Record<string, Record<string, { parameters?: Parameter[] }>>;

let t: TestSystem;
let paths: Paths;
let taskId: string;
beforeAll(async () => {
  t = await startTestSystem();
  paths = ((await t.call('GET', '/api/openapi.json', { user: null })).body as { paths: Paths }).paths;
  taskId = ((await t.call('POST', '/api/tasks', { body: { id: randomUUID(), title: 'Limits' } })).body as { task_id: string }).task_id;
});

const documented = (path: string, method: string, name: string): Parameter['schema'] => {
  const parameter = paths[path]?.[method]?.parameters?.find((candidate) => candidate.name.toLowerCase() === name.toLowerCase());
  if (!parameter) throw new Error(`${method} ${path} documents no ${name}`);
  return parameter.schema;
};

describe('the OpenAPI document and the server agree on a parameter\'s limits', () => {
  const cases: Array<[string, string, string, string, () => Promise<number>]> = [
    ['empty If-Match', '/api/tasks/{id}', 'patch', 'If-Match', async () => (await t.call('PATCH', `/api/tasks/${taskId}`, { body: { title: 'x' }, headers: { 'if-match': '' } })).status],
    ['empty Idempotency-Key', '/api/tasks', 'post', 'Idempotency-Key', async () => (await t.call('POST', '/api/tasks', { body: { title: 'x' }, headers: { 'idempotency-key': '' } })).status],
    ['empty cursor (list)', '/api/tasks', 'get', 'cursor', async () => (await t.call('GET', '/api/tasks?cursor=')).status],
    ['empty cursor (history)', '/api/tasks/{id}/history', 'get', 'cursor', async () => (await t.call('GET', `/api/tasks/${taskId}/history?cursor=`)).status],
    ['empty min_position', '/api/tasks', 'get', 'min_position', async () => (await t.call('GET', '/api/tasks?min_position=')).status],
    ['empty X-Min-Position', '/api/tasks', 'get', 'X-Min-Position', async () => (await t.call('GET', '/api/tasks', { headers: { 'x-min-position': '' } })).status],
  ];
  it.each(cases)('%s: refused by both', async (_name, path, method, parameter, send) => {
    expect(documentedAccepts(documented(path, method, parameter), '')).toBe(false);
    expect(await send()).toBe(400);
  });
});

describe('a text the server trims is documented as sent', () => {
  it('q: blank is refused by both, a 200-character one with spaces around is accepted by both', async () => {
    expect(documentedAccepts(documented('/api/tasks', 'get', 'q'), ' \r')).toBe(false);
    expect((await t.call('GET', '/api/tasks/count?q=%20%0D')).status).toBe(400);
    const padded = ` ${'w'.repeat(198)} `;
    expect(documentedAccepts(documented('/api/tasks', 'get', 'q'), padded)).toBe(true);
    expect((await t.call('GET', `/api/tasks/count?q=${encodeURIComponent(padded)}`)).status).toBe(200);
  });
});
