import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'kube',
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 20_000,
  },
});
