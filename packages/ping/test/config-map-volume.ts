import { mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface ConfigMapVolume {
  readonly dir: string;
  /** The path a pod reads: `<dir>/<key>`, a symlink through `..data`. */
  readonly path: string;
  /** Publishes a new version the way kubelet does: a new timestamped directory, then an atomic `..data` swap. */
  publish(content: string): void;
  remove(): void;
}

/** A directory laid out as kubelet lays out a ConfigMap volume: key -> ..data/key -> ..<timestamp>/key. */
export function configMapVolume(key: string, content: string): ConfigMapVolume {
  const dir = mkdtempSync(join(tmpdir(), 'ping-configmap-'));
  let version = 0;
  const publish = (text: string) => {
    const versionDir = `..2024_01_01_00_00_00.${String(version++).padStart(9, '0')}`;
    mkdirSync(join(dir, versionDir));
    writeFileSync(join(dir, versionDir, key), text);
    symlinkSync(versionDir, join(dir, '..data_tmp'));
    renameSync(join(dir, '..data_tmp'), join(dir, '..data'));
  };
  publish(content);
  symlinkSync(join('..data', key), join(dir, key));
  return { dir, path: join(dir, key), publish, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
