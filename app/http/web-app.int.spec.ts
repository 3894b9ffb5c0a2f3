import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type TestSystem } from '../../test/support/test-system.ts';

/* The web app (docs/architecture.md §6.10) beside the API on one origin, from a built folder of the test's own. */

const PAGE = '<!doctype html><title>Todo</title><div id="app"></div>';
let t: TestSystem;
let empty: TestSystem;

beforeAll(async () => {
  const root = await mkdtemp(join(tmpdir(), 'todo-web-'));
  await mkdir(join(root, 'assets'));
  await writeFile(join(root, 'index.html'), PAGE);
  await writeFile(join(root, 'assets', 'index-Ab12Cd34.js'), 'console.log("app")');
  await writeFile(join(root, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  t = await startTestSystem({ webRoot: root });
  empty = await startTestSystem({ webRoot: await mkdtemp(join(tmpdir(), 'todo-web-unbuilt-')) });
});

const get = (system: TestSystem, path: string) => fetch(`${system.baseUrl}${path}`);

describe('the web app', () => {
  it('is served at / without a token, never cached, so a deploy shows at the next load', async () => {
    const response = await get(t, '/');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/html');
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(await response.text()).toBe(PAGE);
  });

  it('answers any path the app routes itself with its page, so deep links and reloads work', async () => {
    for (const path of ['/tasks/0b8f6a51-8e7c-4c5e-9a43-0d1f4b3f1e11', '/audit', '/sign-in?next=%2F']) {
      const response = await get(t, path);
      expect(response.status, path).toBe(200);
      expect(await response.text(), path).toBe(PAGE);
    }
  });

  it('serves hashed assets for a year and other files revalidated', async () => {
    const asset = await get(t, '/assets/index-Ab12Cd34.js');
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toContain('javascript');
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const icon = await get(t, '/favicon.svg');
    expect(icon.status).toBe(200);
    expect(icon.headers.get('cache-control')).toBe('no-cache');
  });

  it('answers a missing file with a 404, not the page', async () => {
    for (const path of ['/assets/index-gone.js', '/missing.png', '/../package.json', '/%2e%2e/package.json']) {
      const response = await get(t, path);
      expect(response.status, path).toBe(404);
      expect(response.headers.get('content-type'), path).toContain('application/problem+json');
    }
  });

  it('leaves the API, the live feed and the service endpoints their meaning', async () => {
    const unknown = await t.call('GET', '/api/nothing-here');
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toContain('application/problem+json');
    expect((await t.call('GET', '/api/tasks')).status).toBe(200);
    expect((await get(t, '/api/tasks')).status).toBe(401);
    expect((await get(t, '/ws')).status).not.toBe(200);
    expect((await get(t, '/health')).status).toBe(200);
    expect(await (await get(t, '/metrics')).text()).toContain('http_requests_total');
    expect(await (await get(t, '/docs/')).text()).toContain('swagger');
  });

  it('says when the app has not been built', async () => {
    const response = await get(empty, '/');
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ title: 'The web app is not built' });
  });
});
