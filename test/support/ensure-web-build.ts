import { buildWebApp } from '../../web/build.ts';

/** Once per run: web/dist is built from the current sources (a no-op when it is), for the browser tests. */
export default async function setup(): Promise<void> {
  await buildWebApp({ quiet: true });
}
