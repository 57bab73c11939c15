import { defineConfig } from 'vitest/config';

// One vitest run over every package and the end-to-end suite; each project keeps its own config.
export default defineConfig({
  test: {
    projects: ['packages/*/vitest.config.ts', 'test/vitest.config.ts', 'test/deploy/vitest.config.ts', 'test/conformance/vitest.config.ts'],
  },
});
