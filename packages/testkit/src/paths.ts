import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** The repository's root directory (with a trailing slash). */
export const repoRoot = ROOT;

/** The built bundle of an adapter; fails clearly when `npm run build` has not run. */
export function bundlePath(adapter: string): string {
  const path = join(ROOT, 'packages', adapter, 'dist', 'main.js');
  if (!existsSync(path)) throw new Error(`${path} is missing: run \`npm run build\` first`);
  return path;
}

/** A file under a package's test/fixtures folder. */
export function fixturePath(pkg: string, ...parts: string[]): string {
  return join(ROOT, 'packages', pkg, 'test', 'fixtures', ...parts);
}
