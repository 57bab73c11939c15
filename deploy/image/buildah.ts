// Builds and runs the adapter images with buildah, offline: the base image is assembled from the
// Node binary already in node_modules (build-base.sh) and cached as an OCI archive keyed by Node
// version and script; each adapter image is deploy/docker/Dockerfile's runtime-prebuilt target
// over a build context holding only packages/<adapter>/dist/. Used by test/deploy/image.test.ts
// and deploy/image/sizes.ts. Needs root (vfs storage, chroot isolation).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const HERE = fileURLToPath(new URL('.', import.meta.url));
export const DOCKERFILE = join(ROOT, 'deploy', 'docker', 'Dockerfile');
const NODE_BINARY = join(ROOT, 'node_modules', 'node', 'bin', 'node');
const CACHE = join(ROOT, 'node_modules', '.cache', 'tributary-image');
export const INSTALL_HINT = 'run `bash deploy/image/install-buildah.sh` as root (apt-get install -y buildah)';

/** Why buildah cannot be used here, or undefined when it can. */
export function buildahProblem(): string | undefined {
  const version = spawnSync('buildah', ['--version'], { encoding: 'utf8' });
  if (version.error || version.status !== 0) return `buildah is not installed: ${INSTALL_HINT}`;
  if (process.getuid?.() !== 0)
    return 'buildah runs here as root only (vfs storage, chroot isolation): run the image tests as root';
  return undefined;
}

/** A private buildah storage (vfs) for one run; `remove()` deletes it. */
export class Buildah {
  readonly dir = mkdtempSync(join(tmpdir(), 'tributary-buildah-'));
  readonly flags = [
    '--root',
    join(this.dir, 'root'),
    '--runroot',
    join(this.dir, 'run'),
    '--storage-driver',
    'vfs',
  ];

  run(args: readonly string[], options: { input?: string } = {}): string {
    const result = spawnSync('buildah', [...this.flags, ...args], {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
      ...options,
    });
    if (result.error) throw result.error;
    if (result.status !== 0)
      throw new Error(
        `buildah ${args.join(' ')} failed (${result.status}):\n${result.stderr}\n${result.stdout}`,
      );
    return result.stdout.trim();
  }

  spawn(args: readonly string[]): ChildProcess {
    return spawn('buildah', [...this.flags, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** The base image archive for this Node binary, built once (build-base.sh) and cached. */
export function ensureBaseImage(): string {
  const script = join(HERE, 'build-base.sh');
  const version = spawnSync(NODE_BINARY, ['--version'], { encoding: 'utf8' }).stdout.trim();
  const key = createHash('sha256').update(readFileSync(script)).update(version).digest('hex').slice(0, 12);
  const archive = join(CACHE, `node-base-${version}-${process.arch}-${key}.tar`);
  if (existsSync(archive)) return archive;
  mkdirSync(CACHE, { recursive: true });
  const storage = new Buildah();
  try {
    const result = spawnSync('bash', [script, archive, NODE_BINARY], {
      encoding: 'utf8',
      // A script, not an adapter: it passes the environment on to build-base.sh.
      // eslint-disable-next-line no-restricted-properties
      env: { ...process.env, BUILDAH_FLAGS: storage.flags.slice(0, 4).join(' ') },
    });
    if (result.status !== 0) throw new Error(`build-base.sh failed:\n${result.stderr}\n${result.stdout}`);
  } finally {
    storage.remove();
  }
  return archive;
}

/**
 * Builds the adapter's image from the real Dockerfile (target runtime-prebuilt) over a context
 * that holds only packages/<adapter>/dist/, and returns its name.
 */
export function buildAdapterImage(buildah: Buildah, adapter: string, baseArchive: string): string {
  const dist = join(ROOT, 'packages', adapter, 'dist');
  if (!existsSync(join(dist, 'main.js')))
    throw new Error(`${dist}/main.js is missing: run \`npm run build\` first`);
  const context = join(buildah.dir, `context-${adapter}`);
  cpSync(dist, join(context, 'packages', adapter, 'dist'), { recursive: true });
  const image = `localhost/tributary/${adapter}:test`;
  buildah.run([
    'bud',
    '--isolation',
    'chroot',
    '--quiet',
    '--file',
    DOCKERFILE,
    '--target',
    'runtime-prebuilt',
    '--build-arg',
    `BASE_IMAGE=oci-archive:${baseArchive}`,
    '--build-arg',
    `ADAPTER=${adapter}`,
    '--tag',
    image,
    context,
  ]);
  return image;
}

export interface ImageConfig {
  readonly User?: string;
  readonly Entrypoint?: string[];
  readonly Cmd?: string[] | null;
  readonly Env?: string[];
  readonly WorkingDir?: string;
  readonly ExposedPorts?: Record<string, unknown>;
}

/** The OCI image config (user, entrypoint, env) as buildah recorded it. */
export function imageConfig(buildah: Buildah, image: string): ImageConfig {
  const inspected = JSON.parse(buildah.run(['inspect', '--type', 'image', image])) as {
    OCIv1: { config: ImageConfig };
  };
  return inspected.OCIv1.config;
}

export interface ImageSize {
  /** Bytes of the image's files, unpacked: its size on a node's disk. */
  readonly unpackedBytes: number;
  /** Bytes of the image as an OCI archive with gzip layers: what a registry stores and a pull transfers. */
  readonly compressedBytes: number;
}

/** Sums the image's files (mounted) and writes it to an OCI archive to measure its compressed size. */
export function imageSize(buildah: Buildah, image: string): ImageSize {
  const container = buildah.run(['from', '--quiet', image]);
  let unpackedBytes = 0;
  try {
    const rootfs = buildah.run(['mount', container]);
    for (const entry of readdirSync(rootfs, { recursive: true, withFileTypes: true })) {
      if (entry.isFile()) unpackedBytes += statSync(join(entry.parentPath, entry.name)).size;
    }
  } finally {
    buildah.run(['rm', container]);
  }
  const archive = join(buildah.dir, `${image.replace(/[^a-z0-9]+/g, '-')}.tar`);
  buildah.run(['push', '--quiet', image, `oci-archive:${archive}`]);
  const compressedBytes = statSync(archive).size;
  rmSync(archive, { force: true });
  return { unpackedBytes, compressedBytes };
}

/** Process ids under `pid` (children, grandchildren, ...), from /proc. */
export function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // exited meanwhile
    }
    // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so split after the last ")".
    const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
  }
  const found: number[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    for (const child of children.get(queue.shift() as number) ?? []) {
      found.push(child);
      queue.push(child);
    }
  }
  return found;
}

/** The command line of a process, or '' once it is gone. */
export function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    return '';
  }
}
