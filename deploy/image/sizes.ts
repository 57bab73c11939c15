// Builds every adapter image that has a bundle (deploy/docker/Dockerfile, target runtime-prebuilt,
// over the offline Node base image) and writes their sizes to BENCHMARKS.md (section "images").
//   node deploy/image/sizes.ts      (root and buildah needed; run `npm run build` first)
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { machineLine, markdownTable, writeSection } from '../../bench/lib/report.ts';
import { Buildah, buildAdapterImage, buildahProblem, ensureBaseImage, imageSize } from './buildah.ts';

const PACKAGES = fileURLToPath(new URL('../../packages/', import.meta.url));
const MIB = 1024 * 1024;

const problem = buildahProblem();
if (problem !== undefined) {
  console.error(problem);
  process.exit(1);
}
const adapters = readdirSync(PACKAGES)
  .filter((name) => existsSync(join(PACKAGES, name, 'dist', 'main.js')))
  .sort();
if (adapters.length === 0) {
  console.error('no packages/*/dist/main.js: run `npm run build` first');
  process.exit(1);
}

const base = ensureBaseImage();
const buildah = new Buildah();
try {
  const rows: (string | number)[][] = [];
  for (const adapter of adapters) {
    const image = buildAdapterImage(buildah, adapter, base);
    const size = imageSize(buildah, image);
    const bundle = statSync(join(PACKAGES, adapter, 'dist', 'adapter.js')).size;
    rows.push([
      adapter,
      (bundle / 1024).toFixed(0),
      (size.unpackedBytes / MIB).toFixed(1),
      (size.compressedBytes / MIB).toFixed(1),
    ]);
    console.log(
      `${adapter}: ${(size.unpackedBytes / MIB).toFixed(1)} MiB (${(size.compressedBytes / MIB).toFixed(1)} MiB compressed)`,
    );
  }
  writeSection(
    'images',
    `## Container images

${machineLine()}. Command: \`node deploy/image/sizes.ts\` (after \`npm run build\`).

Each image is \`deploy/docker/Dockerfile\` (target \`runtime-prebuilt\`) built with buildah on the
offline base image from \`deploy/image/build-base.sh\`: the Node ${process.version} binary (stripped),
the shared libraries it links (glibc, libstdc++, libgcc), \`/etc/passwd\` with user 65532, nothing
else. The adapter adds one layer: its bundle (\`dist/\`). "unpacked" is the sum of the image's
files (its size on a node's disk); "compressed" is the image as an OCI archive with gzip layers,
what a registry stores and a pull transfers. Built on distroless
\`nodejs24-debian12\` instead, the sizes follow that base image.

${markdownTable(['adapter', 'bundle KiB', 'unpacked MiB', 'compressed MiB'], rows)}`,
  );
} finally {
  buildah.remove();
}
