import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { publishedOpenApiDocument } from './generate-contracts.ts';
import { WEB_SCHEMA_FILE, webApiSchema } from './generate-web-schema.ts';

describe('the web app\'s API types', () => {
  it('are generated from the served OpenAPI document (run `npm run generate`)', async () => {
    const committed = await readFile(WEB_SCHEMA_FILE, 'utf8').catch(() => '(missing)');
    expect(committed, 'web/src/api/schema.d.ts drifted').toBe(await webApiSchema(await publishedOpenApiDocument()));
  });
});
