import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Charts, manifests and images under deploy/: real helm and buildah binaries, no cluster.
export default defineConfig({
  // The display's page is imported `with { type: 'text' }` (esbuild's text loader in its bundle); the
  // config check imports the adapter from source, so give vite the same loader.
  plugins: [
    {
      name: 'html-as-text',
      enforce: 'pre',
      transform: (code: string, id: string) =>
        id.endsWith('.html') ? { code: `export default ${JSON.stringify(code)};`, map: null } : undefined,
    },
  ],
  test: {
    name: 'deploy',
    // Also when run alone (`vitest run --config test/deploy/vitest.config.ts`) from the repository root.
    root: fileURLToPath(new URL('.', import.meta.url)),
    include: ['*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 300_000,
  },
});
