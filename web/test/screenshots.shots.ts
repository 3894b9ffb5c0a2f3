import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { beforeAll, it } from 'vitest';
import { startBrowserWorld, type BrowserWorld } from './support/browser.ts';
import { settled, withTimeTravel } from './support/pages.ts';
import { seedTasks } from './support/seed.ts';

/* `npm run screenshots`: docs/screenshots/, light and dark, desktop and phone width. Not a test. */

const DIR = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url));
let world: BrowserWorld;
let taskId: string;
beforeAll(async () => {
  world = await startBrowserWorld();
  taskId = await seedTasks(world.system, 'mary');
});

it('takes the screenshots', async () => {
  await mkdir(DIR, { recursive: true });
  for (const colorScheme of ['light', 'dark'] as const) {
    for (const [device, width] of [['desktop', 1280], ['phone', 375]] as const) {
      const { context, page } = await world.signedIn('mary', { colorScheme, width });
      await settled(page);
      await page.getByRole('link', { name: 'Plan the week' }).waitFor();
      await page.screenshot({ path: join(DIR, `tasks-${device}-${colorScheme}.png`), fullPage: device === 'phone' });
      await page.goto(`/tasks/${taskId}`);
      await withTimeTravel(page, `/tasks/${taskId}`);
      await page.screenshot({ path: join(DIR, `task-${device}-${colorScheme}.png`), fullPage: true });
      await context.close();
    }
  }
});
