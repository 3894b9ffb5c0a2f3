import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { GENERATED_DIR } from '../generate-contracts.ts';
import { startTestSystem, type TestSystem } from '../../test/support/test-system.ts';

let t: TestSystem;
beforeAll(async () => { t = await startTestSystem(); });

describe('service endpoints', () => {
  it('answers /health and /ready without a token', async () => {
    expect(await t.call('GET', '/health', { user: null })).toMatchObject({ status: 200, body: { status: 'ok' } });
    expect(await t.call('GET', '/ready', { user: null })).toMatchObject({ status: 200, body: { status: 'ready' } });
  });

  it('exports the named metrics, counting what happened', async () => {
    await t.call('POST', '/api/tasks', { body: { title: 'Counted' } });
    const metrics = (await t.call('GET', '/metrics', { user: null })).text;
    expect(metrics).toMatch(/^http_requests_total\{method="POST",route="\/api\/tasks",status_code="201"\} 1$/m);
    expect(metrics).toMatch(/^http_request_duration_seconds_bucket\{.*route="\/api\/tasks".*\} \d+$/m);
    expect(metrics).toMatch(/^events_appended_total\{type="TaskCreated"\} 1$/m);
    expect(metrics).toMatch(/^tasks_created_total 1$/m);
    expect(metrics).toMatch(/^database_query_duration_seconds_count\{outcome="ok"\} [1-9]\d*$/m);
  });

  it('serves the OpenAPI document without a token, and a docs page', async () => {
    const openapi = await t.call('GET', '/api/openapi.json', { user: null });
    expect(openapi.status).toBe(200);
    // The served document is the committed one: both are made from the same route registrations.
    expect(openapi.body).toEqual(JSON.parse(await readFile(new URL('openapi.json', GENERATED_DIR), 'utf8')));
    const docs = await fetch(`${t.baseUrl}/docs/`, { redirect: 'follow' });
    expect(docs.status).toBe(200);
    expect(await docs.text()).toContain('swagger');
  });

  it('answers an unknown route with a problem+json 404', async () => {
    const response = await t.call('GET', '/api/nothing-here');
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
  });

  it('logs JSON lines with the request id and the user id, keeping a caller\'s X-Request-Id', async () => {
    const response = await t.call('POST', '/api/tasks', { body: { title: 'Logged' }, user: 'carol', headers: { 'x-request-id': 'req-abc-123' } });
    expect(response.headers.get('x-request-id')).toBe('req-abc-123');
    const lines = t.logs.filter((line) => line['request_id'] === 'req-abc-123');
    const completed = lines.find((line) => line['msg'] === 'request completed');
    expect(completed).toMatchObject({ level: 'info', user_id: 'carol', request_id: 'req-abc-123' });
    expect(typeof completed?.['time']).toBe('string');
  });

  it('continues a caller\'s traceparent: every line of the request names its trace, the answer names the server\'s span', async () => {
    const sent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const response = await t.call('POST', '/api/tasks', { body: { title: 'Traced' }, headers: { traceparent: sent, 'x-request-id': 'req-traced' } });
    expect(response.status).toBe(201);
    expect(response.headers.get('traceresponse')).toMatch(/^00-4bf92f3577b34da6a3ce929d0e0e4736-(?!00f067aa0ba902b7)[\da-f]{16}-01$/);
    const lines = t.logs.filter((line) => line['request_id'] === 'req-traced');
    expect(lines.map((line) => line['msg'])).toEqual(expect.arrayContaining(['incoming request', 'request completed']));
    for (const line of lines) expect(line).toMatchObject({ trace_id: '4bf92f3577b34da6a3ce929d0e0e4736' });
  });

  it.each([
    ['no traceparent', {}],
    ['an invalid traceparent', { traceparent: '00-00000000000000000000000000000000-00f067aa0ba902b7-01' }],
  ])('starts a new trace for an API request with %s, refusing nothing', async (_case, headers: Record<string, string>) => {
    const response = await t.call('POST', '/api/tasks', { body: { title: 'New trace' }, headers });
    expect(response.status).toBe(201);
    const answered = /^00-([\da-f]{32})-[\da-f]{16}-00$/.exec(response.headers.get('traceresponse') ?? '');
    expect(answered?.[1]).not.toBe('0'.repeat(32));
    const [created] = await t.system.store.readStream((response.body as { task_id: string }).task_id);
    expect(created?.metadata.traceparent).toBe(response.headers.get('traceresponse'));
  });

  it('gives service endpoints no trace of their own', async () => {
    const response = await t.call('GET', '/health', { user: null });
    expect(response.headers.get('traceresponse')).toBeNull();
  });
});
