import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from '@tributary/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { contentHash, watchFile, type FileWatch } from '../../src/file-watcher.ts';
import { configMapVolume } from '../config-map-volume.ts';

describe('watchFile', () => {
  let watch: FileWatch | undefined;
  const dirs: string[] = [];
  afterEach(() => {
    watch?.close();
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('sees each new version of a ConfigMap key once, and not the version already applied', async () => {
    const volume = configMapVolume('sources.yaml', 'v1');
    dirs.push(volume.dir);
    const seen: string[] = [];
    // A long poll period: the directory watch must notice the swap.
    watch = watchFile(volume.path, { intervalMs: 60_000, initialHash: contentHash('v1'), onChange: (text) => seen.push(text), onError: () => {} });
    volume.publish('v2');
    await waitFor(() => seen.length === 1, { what: 'v2' });
    volume.publish('v2');
    volume.publish('v3');
    await waitFor(() => seen.includes('v3'), { what: 'v3' });
    expect(seen).toEqual(['v2', 'v3']);
  });

  it('notices changes by polling alone', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ping-poll-'));
    dirs.push(dir);
    const path = join(dir, 'sources.json');
    writeFileSync(path, '[]');
    const seen: string[] = [];
    watch = watchFile(path, { intervalMs: 100, onChange: (text) => seen.push(text), onError: () => {} });
    await waitFor(() => seen.length === 1, { what: 'the first read' });
    writeFileSync(path, '[1]');
    await waitFor(() => seen.length === 2, { what: 'the change' });
    expect(seen).toEqual(['[]', '[1]']);
  });

  it('reports a missing file once and picks it up when it comes back', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ping-gone-'));
    dirs.push(dir);
    const path = join(dir, 'sources.json');
    const errors: string[] = [];
    const seen: string[] = [];
    watch = watchFile(path, { intervalMs: 50, onChange: (text) => seen.push(text), onError: (error) => errors.push(error.code ?? '') });
    await waitFor(() => errors.length === 1, { what: 'the error' });
    writeFileSync(path, '[]');
    await waitFor(() => seen.length === 1, { what: 'the file' });
    expect(errors).toEqual(['ENOENT']);
  });
});
