// Bundles an adapter's src/main.ts into one self-contained dist/main.js that runs with only `node`.
// Run from the package directory (each adapter's `build` script): `node ../../scripts/bundle.ts`.
import { build, type Plugin } from 'esbuild';
import { rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const outfile = 'dist/main.js';
const require = createRequire(import.meta.url);

/**
 * Keeps the bundle small: npm nests one mime-db copy under each of express's helpers (the root
 * holds an older one for other tools), so resolve them all to express's; and replace iconv-lite's
 * charset tables, used only by body parsers we never mount, with Node's own decoders.
 */
const slim: Plugin = {
  name: 'slim',
  setup(context) {
    const expressDir = dirname(require.resolve('express/package.json'));
    context.onResolve({ filter: /^(mime-types|mime-db)$/ }, async (args) => {
      if (args.pluginData === 'slim') return undefined;
      const mimeTypes = dirname(createRequire(`${expressDir}/`).resolve('mime-types/package.json'));
      const resolveDir = args.path === 'mime-db' ? mimeTypes : expressDir;
      return context.resolve(args.path, { resolveDir, kind: args.kind, pluginData: 'slim' });
    });
    context.onResolve({ filter: /^iconv-lite$/ }, () => ({
      path: fileURLToPath(new URL('./shims/iconv-lite.cjs', import.meta.url)),
    }));
  },
};

rmSync('dist', { recursive: true, force: true });
const result = await build({
  entryPoints: ['src/main.ts'],
  outfile,
  bundle: true,
  platform: 'node',
  target: 'node24',
  format: 'esm',
  minify: true,
  keepNames: true,
  legalComments: 'linked',
  metafile: true,
  logLevel: 'warning',
  plugins: [slim],
  // CommonJS dependencies (express, pino, prom-client) call require(); give the ESM bundle one.
  banner: {
    js: "import { createRequire as __tributaryRequire } from 'node:module'; const require = __tributaryRequire(import.meta.url);",
  },
});
const bytes = statSync(outfile).size;
console.log(
  `${process.cwd().split('/').pop()}: ${outfile} ${(bytes / 1024).toFixed(0)} KiB from ${Object.keys(result.metafile.inputs).length} inputs`,
);
