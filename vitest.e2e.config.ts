import { defineConfig } from 'vitest/config';

// End-to-end tests drive Debian's Chromium against the production build; one file at a time,
// since each starts its own server and browser.
export default defineConfig({
  test: {
    include: ['tests/e2e/**/*.e2e.ts'],
    environment: 'node',
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
