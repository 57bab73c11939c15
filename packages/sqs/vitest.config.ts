import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'sqs',
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 20_000,
    // fauxqs keeps its queues in node:sqlite, which Node 24 still flags as experimental on every
    // worker start; the warning says nothing about our code.
    execArgv: ['--disable-warning=ExperimentalWarning'],
  },
});
