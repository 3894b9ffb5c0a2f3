import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['**/*.spec.ts'],
    // test/distributed needs Kafka and daprd: `npm run test:distributed` runs it with its own config.
    exclude: ['node_modules/**', 'dist/**', 'test/distributed/**'],
    // A scratch TMPDIR first, so every later set-up and test writes under it and the run leaves no folders behind.
    // Then promtool: found, or installed once for the whole run (test/monitoring needs it).
    // Chromium and the built web app for the browser tests (web/test).
    globalSetup: ['test/support/scratch-tmpdir.ts', 'test/support/ensure-promtool.ts', 'test/support/ensure-chromium.ts', 'test/support/ensure-web-build.ts', 'test/support/global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Tests never time themselves; these bounds only stop a hung test from hanging CI.
    teardownTimeout: 30_000,
  },
});
