import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    // every test file's temp folders are removed when it ends
    setupFiles: ['test/setup.ts'],
    // one worker per core (vitest's default keeps one core free, which on a 2-core machine runs the
    // files one at a time while most of them wait on builds, browsers and child processes)
    maxWorkers: availableParallelism(),
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
