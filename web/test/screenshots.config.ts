import { defineConfig } from 'vitest/config';
import base from '../../vitest.config.ts';

/** `npm run screenshots`: the suite's set-up (database, Chromium, the built app), only the screenshot file. */
export default defineConfig({ ...base, test: { ...base.test, include: ['web/test/screenshots.shots.ts'] } });
