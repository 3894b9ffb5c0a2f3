import { mkdir, writeFile } from 'node:fs/promises';
import { buildEventSchemas, buildOpenApiDocument } from './openapi.ts';

export const GENERATED_DIR = new URL('./generated/', import.meta.url);

export function generatedFiles(): Record<string, string> {
  const files: Record<string, string> = { 'openapi.json': `${JSON.stringify(buildOpenApiDocument(), null, 2)}\n` };
  for (const [name, schema] of Object.entries(buildEventSchemas())) files[`events/${name}`] = `${JSON.stringify(schema, null, 2)}\n`;
  return files;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await mkdir(new URL('events/', GENERATED_DIR), { recursive: true });
  for (const [name, text] of Object.entries(generatedFiles())) {
    await writeFile(new URL(name, GENERATED_DIR), text);
    console.log(`wrote contracts/generated/${name}`);
  }
}
