import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { GENERATED_DIR, generatedFiles } from './generate-contracts.ts';

describe('generated contracts', () => {
  it('the committed OpenAPI document and event JSON Schemas match the routes and the zod schemas (run `npm run generate`)', async () => {
    for (const [name, text] of Object.entries(await generatedFiles())) {
      const committed = await readFile(new URL(name, GENERATED_DIR), 'utf8').catch(() => '(missing)');
      expect(committed, `contracts/generated/${name} drifted`).toBe(text);
    }
  });

  it('documents every command route and the problem responses', async () => {
    const doc = JSON.parse((await generatedFiles())['openapi.json'] ?? '{}') as { openapi: string; paths: Record<string, Record<string, unknown>> };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths['/api/tasks'] ?? {})).toContain('post');
    expect(Object.keys(doc.paths['/api/tasks/{id}'] ?? {}).sort()).toEqual(['delete', 'get', 'patch']);
    expect(doc.paths['/api/tasks/{id}/complete']).toHaveProperty('post');
    expect(doc.paths['/api/tasks/{id}/reopen']).toHaveProperty('post');
  });
});
