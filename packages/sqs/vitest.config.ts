import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'sqs',
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 20_000,
  },
});
