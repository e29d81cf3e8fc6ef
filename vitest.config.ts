import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'nodes/**/*.test.ts', 'engine/**/*.test.ts', 'editor/src/**/*.test.ts', 'examples/**/*.test.ts'],
    exclude: ['**/node_modules/**', 'editor/dist/**'],
    globalSetup: ['test/support/global-setup.ts', 'test/e2e/build-editor.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    maxWorkers: 2,
    reporters: process.env.CI ? ['default'] : ['default'],
  },
});
