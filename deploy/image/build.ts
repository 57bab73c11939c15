// Builds one adapter's image with whatever container tool is installed: docker, then podman, then
// buildah. Meant as each adapter's Nx `image` target (`nx run heartbeat:image`), run from the
// package directory or anywhere:
//
//   node deploy/image/build.ts <adapter> [--prebuilt] [--tag NAME] [--base-image REF] [-- extra build args]
//
// Default: the Dockerfile's `runtime` target, which builds the bundle from source inside a Node 24
// stage (needs network for `npm ci`). --prebuilt uses the `runtime-prebuilt` target and the
// packages/<adapter>/dist/ already built on the host (`npm run build`), which is faster and works
// offline when the base image is local.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DOCKERFILE = join(ROOT, 'deploy', 'docker', 'Dockerfile');

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    prebuilt: { type: 'boolean', default: false },
    tag: { type: 'string' },
    'base-image': { type: 'string' },
  },
});
const [adapter, ...extra] = positionals;
if (adapter === undefined || !existsSync(join(ROOT, 'packages', adapter, 'src', 'main.ts'))) {
  console.error('usage: node deploy/image/build.ts <adapter> [--prebuilt] [--tag NAME] [--base-image REF]');
  process.exit(2);
}
if (values.prebuilt && !existsSync(join(ROOT, 'packages', adapter, 'dist', 'main.js'))) {
  console.error(
    `packages/${adapter}/dist/main.js is missing: run \`npm run build\` first (or drop --prebuilt)`,
  );
  process.exit(2);
}

/** docker needs its daemon (`docker info` fails without one); podman and buildah are daemonless. */
function found(tool: string): boolean {
  return spawnSync(tool, tool === 'docker' ? ['info'] : ['--version'], { stdio: 'ignore' }).status === 0;
}
const tool = ['docker', 'podman', 'buildah'].find(found);
if (tool === undefined) {
  console.error(
    'no container tool found: install docker or podman (or buildah: deploy/image/install-buildah.sh)',
  );
  process.exit(1);
}

const { version } = JSON.parse(readFileSync(join(ROOT, 'packages', adapter, 'package.json'), 'utf8')) as {
  version: string;
};
const tag = values.tag ?? `tributary/${adapter}:${version}`;
const args = [
  tool === 'buildah' ? 'bud' : 'build',
  '--file',
  DOCKERFILE,
  '--target',
  values.prebuilt ? 'runtime-prebuilt' : 'runtime',
  '--build-arg',
  `ADAPTER=${adapter}`,
  ...(values['base-image'] ? ['--build-arg', `BASE_IMAGE=${values['base-image']}`] : []),
  '--tag',
  tag,
  ...extra,
  ROOT,
];
console.log(`${tool} ${args.join(' ')}`);
const result = spawnSync(tool, args, { stdio: 'inherit' });
process.exit(result.status ?? 1);
