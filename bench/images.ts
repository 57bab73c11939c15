// Image size per adapter (needs root and buildah): `npm run bench -- images`.
// Runs deploy/image/sizes.ts, which builds each image and writes the `images` section.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const script = fileURLToPath(new URL('../deploy/image/sizes.ts', import.meta.url));
process.exit(spawnSync(process.execPath, [script, ...process.argv.slice(2)], { stdio: 'inherit' }).status ?? 1);
