import { createHash } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as Vite from 'vite';

/*
 * Builds the web app into web/dist unless it is already built from these very sources: `npm start` runs this
 * first (prestart), the browser tests too. The sources' hash is kept in web/dist/.source-hash, so an unchanged
 * app costs one hash of a few files, not a build (docs/adr/0021-web-app.md).
 */

const WEB = fileURLToPath(new URL('.', import.meta.url));
const DIST = join(WEB, 'dist');
const HASH_FILE = join(DIST, '.source-hash');
const INPUTS = ['src', 'public', 'index.html', 'vite.config.ts', '../package-lock.json'];

async function filesUnder(path: string): Promise<string[]> {
  try {
    const entries = await readdir(path, { withFileTypes: true, recursive: true });
    return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
  } catch {
    return [path];
  }
}

/** A hash of every input of the build: paths and contents. */
export async function sourceHash(): Promise<string> {
  const hash = createHash('sha256');
  const files = (await Promise.all(INPUTS.map((input) => filesUnder(join(WEB, input))))).flat().sort();
  for (const file of files) {
    hash.update(relative(WEB, file)).update('\0');
    hash.update(await readFile(file).catch(() => Buffer.alloc(0))).update('\0');
  }
  return hash.digest('hex');
}

/** Builds when the sources changed since the last build; says which it did on stderr. */
export async function buildWebApp(options: { quiet?: boolean } = {}): Promise<'built' | 'cached'> {
  const hash = await sourceHash();
  const built = await readFile(HASH_FILE, 'utf8').catch(() => '');
  if (built === hash) return 'cached';
  let vite: typeof Vite;
  try {
    vite = await import('vite');
  } catch {
    // An install without devDependencies (the image's runtime stage) serves the dist it was given.
    process.stderr.write('web: vite is not installed; serving web/dist as it is\n');
    return 'cached';
  }
  process.stderr.write('web: building the app into web/dist (its sources changed) ...\n');
  // A build is for production whoever runs it: under the test runner NODE_ENV is `test`, which would bundle
  // React's development build and JSX's debug transform.
  const nodeEnv = process.env['NODE_ENV'];
  process.env['NODE_ENV'] = 'production';
  try {
    await vite.build({ configFile: join(WEB, 'vite.config.ts'), mode: 'production', logLevel: options.quiet ? 'warn' : 'info' });
  } finally {
    if (nodeEnv === undefined) delete process.env['NODE_ENV'];
    else process.env['NODE_ENV'] = nodeEnv;
  }
  await writeFile(HASH_FILE, hash);
  return 'built';
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const outcome = await buildWebApp();
  process.stderr.write(`web: ${outcome === 'built' ? 'built' : 'up to date'} (web/dist)\n`);
}
