import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'ping',
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
