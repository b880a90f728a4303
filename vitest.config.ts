import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    reporters: ['default', './test/support/summary-reporter.ts'],
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/domain/**/*.test.ts', 'test/unit/**/*.test.ts'],
        },
      },
      {
        test: {
          name: 'db',
          include: [
            'test/db/**/*.test.ts',
            'test/app/**/*.test.ts',
            'test/api/**/*.test.ts',
            'test/jobs/**/*.test.ts',
            'test/cli/**/*.test.ts',
          ],
          // Bounds for a hang, not a speed test: on a 2-core machine shared with other runs,
          // seeding the demo or starting the import worker takes many times its idle duration.
          testTimeout: 120_000,
          hookTimeout: 300_000,
          globalSetup: ['test/support/pg-global-setup.ts'],
        },
      },
      {
        test: {
          name: 'e2e',
          // Browser tests run after the others, alone: they are the slowest and the most
          // sensitive to a busy 2-core machine.
          sequence: { groupOrder: 1 },
          include: ['test/e2e/**/*.test.ts'],
          // Generous bounds, never sleeps: every step waits for a condition, and on a loaded
          // 2-core machine a condition can take tens of seconds. expect.poll's default (1 s) and
          // Playwright's (30 s per action, set in test/e2e/support/server.ts) failed there.
          testTimeout: 240_000,
          hookTimeout: 180_000,
          expect: { poll: { timeout: 60_000, interval: 100 } },
          fileParallelism: false,
        },
      },
    ],
  },
});
