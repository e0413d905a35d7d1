import { defineConfig } from 'vitest/config';

// The business calendar must not depend on the process TZ: its tests run again under zones on both
// sides of UTC, one with daylight saving time.
const calendarTimeZones = { 'new-york': 'America/New_York', auckland: 'Pacific/Auckland' };

// One run for every workspace; each workspace is a project so `vitest run --project <name>` works alone.
export default defineConfig({
  test: {
    projects: [
      ...['events', 'write-side', 'read-side', 'load-tests'].map((name) => ({
        test: {
          name,
          root: `./${name}`,
          include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
          testTimeout: 20_000,
          hookTimeout: 20_000,
        },
      })),
      // the UI's formatting must show Istanbul time in any browser zone; web/tsconfig.json extends
      // a file `svelte-kit sync` generates, so the root tsconfig is named for a fresh clone
      {
        tsconfig: '../tsconfig.json',
        test: {
          name: 'web',
          root: './web',
          include: ['src/**/*.test.ts'],
          env: { TZ: 'America/New_York' },
        },
      },
      // the whole story in Debian's Chromium against a freshly started product (web/test/e2e)
      {
        tsconfig: '../tsconfig.json',
        test: {
          name: 'web-e2e',
          root: './web',
          include: ['test/e2e/**/*.test.ts'],
          testTimeout: 180_000,
          // the first run builds the UI (scripts/build-web-if-stale.mjs)
          hookTimeout: 300_000,
        },
      },
      ...Object.entries(calendarTimeZones).map(([name, TZ]) => ({
        test: {
          name: `events-tz-${name}`,
          root: './events',
          include: ['test/calendar.test.ts'],
          env: { TZ },
        },
      })),
    ],
  },
});
