import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Env } from '../config/env.ts';

/** Where Knative mounts the ConfigMaps labelled `networking.knative.dev/trust-bundle` (eventingtls). */
export const TRUST_BUNDLES_DIR = '/knative-custom-certs';

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/**
 * Every certificate in the `*.pem` and `*.crt` files under `dir` (knative/eventing
 * `pkg/eventingtls.loadCertPool` trusts every file there beside `K_CA_CERTS`). Kubelet's
 * atomic-writer entries (`..data`, `..2024_...`) are skipped: the visible names link into them, so
 * reading both would read each file twice. A missing directory is the common case (no bundles);
 * an unreadable file or one without certificates is a warning, not a startup failure.
 */
export function readTrustBundles(env: Env, dir: string): string[] {
  const certificates = new Set<string>();
  for (const file of bundleFiles(dir)) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      env.warn('K_TRUST_BUNDLES_DIR', `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}; skipped`);
      continue;
    }
    const found = text.match(PEM_CERTIFICATE) ?? [];
    if (found.length === 0) env.warn('K_TRUST_BUNDLES_DIR', `${file} holds no PEM certificate; skipped`);
    for (const certificate of found) certificates.add(certificate);
  }
  return [...certificates];
}

function bundleFiles(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const files: string[] = [];
  for (const name of names.sort()) {
    if (name.startsWith('..')) continue;
    const path = join(dir, name);
    const stat = statSync(path, { throwIfNoEntry: false });
    if (stat === undefined) continue;
    if (stat.isDirectory()) files.push(...bundleFiles(path));
    else if (name.endsWith('.pem') || name.endsWith('.crt')) files.push(path);
  }
  return files;
}
