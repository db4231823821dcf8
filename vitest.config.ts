import { defineConfig, type TestProjectInlineConfiguration } from 'vitest/config';

// One project per tier. The pure tier (unit) has no global setup: it starts no database and
// builds nothing, so `npm run test:unit` runs alone in seconds. Every other tier talks to a
// real PostGIS and needs the embedded templates that tests/helpers/global-setup.ts builds.
const GLOBAL_SETUP = ['tests/helpers/global-setup.ts'];

const tier = (name: string, include: string[], withDatabase = true): TestProjectInlineConfiguration => ({
  extends: true,
  test: { name, include, ...(withDatabase ? { globalSetup: GLOBAL_SETUP } : {}) },
});

// Database suites start a PostGIS each (the embedded one is ~1.7 GB of WASM heap), so at most
// two test files run at once on this 2-core machine.
export default defineConfig({
  test: {
    pool: 'forks',
    maxWorkers: 2,
    fileParallelism: true,
    testTimeout: 60_000,
    hookTimeout: 240_000,
    reporters: ['default'],
    projects: [
      tier('unit', ['tests/unit/**/*.test.ts', 'client/**/*.test.ts'], false),
      tier('db', ['tests/db/**/*.test.ts']),
      tier('api', ['tests/api/**/*.test.ts']),
      tier('e2e', ['tests/e2e/**/*.test.ts']),
      tier('faults', ['tests/faults/**/*.test.ts']),
      tier('load', ['tests/load/**/*.test.ts']),
      // nginx + API processes on the server driver only: no embedded templates to build.
      tier('deploy', ['tests/deploy/**/*.test.ts'], false),
    ],
  },
});
