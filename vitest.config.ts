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
          testTimeout: 30_000,
          hookTimeout: 60_000,
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
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
