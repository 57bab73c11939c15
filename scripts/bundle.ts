// Bundles an adapter's src/main.ts into one self-contained dist/adapter.js (plus lazily loaded
// chunks) that runs with only `node`, started through a small dist/main.js (see `loader` below).
// Run from the package directory (each adapter's `build` script): `node ../../scripts/bundle.ts`.
import { build, type Plugin } from 'esbuild';
import { rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const outfile = 'dist/main.js';
const adapterFile = 'dist/adapter.js';
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

/**
 * Runs before any bundled code: on an older Node the bundle would otherwise fail deep inside a
 * dependency (Node 20: "Cannot read properties of undefined (reading 'bind')") and print the
 * minified source around it. One line says what is needed and how to get it.
 */
const nodeVersionCheck = [
  "if (Number(process.versions.node.split('.')[0]) < 24) {",
  '  process.stderr.write(`tributary: this adapter needs Node.js 24 or newer, and this is ${process.version}. ' +
    'In the repository, run it with the Node 24 that npm installed: npx node ${process.argv[1] ?? "dist/main.js"} ' +
    '(or use the container image).\\n`);',
  '  process.exit(1);',
  '}',
].join('\n');
// CommonJS dependencies (express, pino, prom-client) call require(); give the ESM bundle one.
const requireShim =
  "import { createRequire as __tributaryRequire } from 'node:module'; const require = __tributaryRequire(import.meta.url);";

/**
 * dist/main.js, the entry point: checks the Node version, turns on Node's compile cache, then
 * imports the bundle. Compiling the 0.7–2.7 MB bundle dominates start-up; the cache (V8 code cache
 * on disk, https://nodejs.org/api/module.html#module-compile-cache) skips that from the second
 * start on, and only covers modules loaded after it is enabled, hence a separate entry file.
 * Directory: NODE_COMPILE_CACHE, else <os.tmpdir()>/node-compile-cache; NODE_DISABLE_COMPILE_CACHE=1
 * turns it off. enableCompileCache() reports a directory it cannot create or write (a read-only
 * root filesystem) in its returned status and never throws, so the adapter then starts as before.
 */
const loader = [
  '// Starts the adapter in ./adapter.js with Node\'s compile cache on (scripts/bundle.ts says why).',
  "import module from 'node:module';",
  nodeVersionCheck,
  'module.enableCompileCache?.();',
  "await import('./adapter.js');",
  '',
].join('\n');

rmSync('dist', { recursive: true, force: true });
const result = await build({
  entryPoints: [{ in: 'src/main.ts', out: 'adapter' }],
  // Code reached only through dynamic import() (the OpenTelemetry SDK and exporters, loaded when
  // tracing or metrics export is configured) goes into chunks beside main.js, not into it.
  outdir: 'dist',
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
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
  banner: { js: requireShim },
});
writeFileSync(outfile, loader);
const bytes = statSync(adapterFile).size;
const chunks = Object.keys(result.metafile.outputs).filter((path) => path.includes('/chunks/') && path.endsWith('.js'));
const chunkBytes = chunks.reduce((sum, path) => sum + statSync(path).size, 0);
console.log(
  `${process.cwd().split('/').pop()}: ${adapterFile} ${(bytes / 1024).toFixed(0)} KiB from ${Object.keys(result.metafile.inputs).length} inputs` +
    (chunks.length > 0 ? `, ${chunks.length} lazily loaded chunks ${(chunkBytes / 1024).toFixed(0)} KiB` : ''),
);
