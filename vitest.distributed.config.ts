import { defineConfig } from 'vitest/config';

/** The distributed suite (scripts/test-distributed.sh starts Kafka and builds daprd first). */
export default defineConfig({
  test: {
    include: ['test/distributed/**/*.e2e.spec.ts'],
    exclude: ['node_modules/**', 'dist/**'],
    // Chromium and the built web app for the browser's view of the distributed path.
    globalSetup: ['test/support/scratch-tmpdir.ts', 'test/support/ensure-chromium.ts', 'test/support/ensure-web-build.ts', 'test/support/global-setup.ts'],
    // One cluster of processes at a time: they share the broker and its topics.
    fileParallelism: false,
    testTimeout: 240_000,
    hookTimeout: 300_000,
    teardownTimeout: 60_000,
  },
});
