import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'sdk/ts/test/**/*.test.ts',
      'edge/test/**/*.test.ts',
      'infra/test/**/*.test.ts',
      'examples/**/test/**/*.test.ts',
    ],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
