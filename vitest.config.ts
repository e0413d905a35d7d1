import { defineConfig } from 'vitest/config';

// One run for every workspace; each workspace is a project so `vitest run --project <name>` works alone.
export default defineConfig({
  test: {
    projects: ['events', 'write-side', 'read-side', 'load-tests'].map((name) => ({
      test: {
        name,
        root: `./${name}`,
        include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
        testTimeout: 20_000,
        hookTimeout: 20_000,
      },
    })),
  },
});
