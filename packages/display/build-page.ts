// Bundles the page script (page/app.ts, browser code) into .page/app.js.txt, which the display's
// server imports as text so dist/main.js carries the whole page. Run before scripts/bundle.ts.
import { build } from 'esbuild';

await build({
  entryPoints: ['page/app.ts'],
  // A .txt name keeps linters and formatters off the generated file.
  outfile: '.page/app.js.txt',
  bundle: true,
  platform: 'browser',
  format: 'iife',
  // Browsers of the last few years; EventSource, CSS color-mix and matchAll are all there.
  target: ['chrome110', 'firefox110', 'safari16'],
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
});
