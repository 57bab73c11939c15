import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { bundleOf, ROOT } from './settings.ts';

/**
 * On a fresh clone nothing is built yet: run `npm run build` once (Nx caches it afterwards).
 * When the display exists the bundles are used as they are, so `npm start` stays instant;
 * run `npm run build` yourself after changing code.
 */
export async function ensureBuilt(): Promise<void> {
  if (existsSync(bundleOf('display'))) return;
  console.log('No bundles yet: running `npm run build` once (about a minute)…\n');
  const code = await new Promise<number | null>((resolve) => {
    const npm = spawn('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
    npm.once('error', () => resolve(null));
    npm.once('exit', resolve);
  });
  if (code !== 0 || !existsSync(bundleOf('display'))) {
    throw new Error('`npm run build` failed; fix the build and run `npm start` again');
  }
}
