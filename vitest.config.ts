import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['**/*.spec.ts'],
    // test/distributed needs Kafka and daprd: `npm run test:distributed` runs it with its own config.
    exclude: ['node_modules/**', 'dist/**', 'test/distributed/**'],
    // promtool first: found, or installed once for the whole run (test/monitoring needs it).
    globalSetup: ['test/support/ensure-promtool.ts', 'test/support/global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Tests never time themselves; these bounds only stop a hung test from hanging CI.
    teardownTimeout: 30_000,
  },
});
