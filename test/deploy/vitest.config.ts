import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Charts, manifests and images under deploy/: real helm and buildah binaries, no cluster.
export default defineConfig({
  test: {
    name: 'deploy',
    // Also when run alone (`vitest run --config test/deploy/vitest.config.ts`) from the repository root.
    root: fileURLToPath(new URL('.', import.meta.url)),
    include: ['*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 300_000,
  },
});
