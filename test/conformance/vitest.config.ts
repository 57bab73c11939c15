import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Each fixture runs the adapter on the ports its controller's container spec fixes, so fixtures run
// one at a time (files in sequence here; across processes, harness/host-lock.ts).
export default defineConfig({
  test: {
    name: 'conformance',
    root: fileURLToPath(new URL('.', import.meta.url)),
    include: ['**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/.tsbuild/**'],
    fileParallelism: false,
    testTimeout: 300_000,
    hookTimeout: 900_000,
  },
});
