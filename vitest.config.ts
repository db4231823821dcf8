import { defineConfig } from 'vitest/config';

// Database suites start a PostGIS each (the embedded one is ~1.7 GB of WASM heap), so at most
// two test files run at once on this 2-core machine.
export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts', 'client/**/*.test.ts'],
    globalSetup: ['tests/helpers/global-setup.ts'],
    pool: 'forks',
    maxWorkers: 2,
    fileParallelism: true,
    testTimeout: 60_000,
    hookTimeout: 240_000,
    reporters: ['default'],
  },
});
