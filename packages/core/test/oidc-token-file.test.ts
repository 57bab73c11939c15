import { mkdtempSync, renameSync, rmSync, symlinkSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startRecordingSink, type RecordingSink } from '@tributary/testkit';
import { createMetrics, Env, readRuntimeConfig, readSinkTokens, SinkClients, TokenFile, type CloudEvent } from '../src/index.ts';

const event: CloudEvent = { id: 'id-1', source: 'urn:test', type: 'dev.tributary.test', data: { n: 1 } };

/**
 * A Secret volume as kubelet writes it (the layout SinkBinding's `oidc-token` volume at /oidc has):
 * `token` -> `..data/token`, `..data` -> a timestamped directory swapped atomically on update.
 */
function secretVolume() {
  const dir = mkdtempSync(join(tmpdir(), 'oidc-volume-'));
  let generation = 0;
  const write = (token: string) => {
    const version = `..2026_12_07_${generation++}`;
    mkdirSync(join(dir, version));
    writeFileSync(join(dir, version, 'token'), token);
    symlinkSync(version, join(dir, '..data_tmp'));
    renameSync(join(dir, '..data_tmp'), join(dir, '..data'));
    try {
      symlinkSync('..data/token', join(dir, 'token'));
    } catch {
      // The visible link already points through ..data.
    }
  };
  return { dir, path: join(dir, 'token'), write };
}

describe('TokenFile (a SinkBinding-mounted /oidc/token)', () => {
  it('has no token while the file is absent, then follows it as it appears, rotates and goes', () => {
    const volume = secretVolume();
    const file = new TokenFile(volume.path, 0);
    expect(file.current()).toBeUndefined();
    volume.write('token-one\n');
    expect(file.current()).toBe('token-one');
    volume.write('token-two');
    expect(file.current()).toBe('token-two');
    rmSync(volume.dir, { recursive: true });
    expect(file.current()).toBeUndefined();
  });
});

describe('deliveries under a SinkBinding (token file, no K_AUDIENCE)', () => {
  let sink: RecordingSink;
  let clients: SinkClients | undefined;
  beforeEach(async () => {
    sink = await startRecordingSink({ authorize: (header) => (header === 'Bearer token-two' ? undefined : `unexpected ${header ?? 'no header'}`) });
  });
  afterEach(async () => {
    await clients?.close();
    await sink.close();
  });

  it('starts without the file, sends no token until it exists, and re-reads it after a 401', async () => {
    const volume = secretVolume();
    const env = new Env({ K_SINK: sink.url, K_OIDC_TOKEN_FILE: volume.path, K_SINK_RETRY: '0' });
    const runtime = readRuntimeConfig(env);
    const tokens = await readSinkTokens(env, runtime);
    env.assertValid();
    expect(env.warnings).toEqual([]);
    clients = new SinkClients(runtime, tokens, createMetrics({ adapter: 'test' }, false));
    const emit = clients.emitTo({});
    await expect(emit(event)).rejects.toThrow(/401/);
    expect(sink.rejected.map((r) => r.reason)).toEqual(['unexpected no header']);
    volume.write('token-one');
    // Within the re-check interval the new file is noticed on the 401, and token-one is sent at once.
    await expect(emit(event)).rejects.toThrow(/401/);
    volume.write('token-two');
    await emit(event);
    expect(sink.rejected.map((r) => r.reason)).toEqual([
      'unexpected no header',
      'unexpected no header',
      'unexpected Bearer token-one',
      'unexpected Bearer token-one',
    ]);
    expect(sink.events.map((e) => e.headers.authorization)).toEqual(['Bearer token-two']);
  });

  it('with K_AUDIENCE but neither K_OIDC_SERVICE_ACCOUNT nor the file: a warning, not an exit', async () => {
    const env = new Env({ K_SINK: sink.url, K_AUDIENCE: 'aud', K_OIDC_TOKEN_FILE: join(tmpdir(), 'no-such-dir', 'token') });
    const runtime = readRuntimeConfig(env);
    await readSinkTokens(env, runtime);
    expect(env.problems).toEqual([]);
    expect(env.warnings.map((w) => w.variable)).toEqual(['K_AUDIENCE']);
  });
});

describe('OIDC configuration problems', () => {
  it('K_OIDC_SERVICE_ACCOUNT with K_AUDIENCE but no Kubernetes access names KUBECONFIG', async () => {
    const env = new Env({ K_SINK: 'http://127.0.0.1:9/', K_AUDIENCE: 'aud', K_OIDC_SERVICE_ACCOUNT: 'sa', NAMESPACE: 'ns' });
    await readSinkTokens(env, readRuntimeConfig(env));
    expect(env.problems.map((p) => p.variable)).toEqual(['KUBECONFIG']);
  });

  it('K_OIDC_SERVICE_ACCOUNT without K_AUDIENCE is a warning (Knative requests no token then)', async () => {
    const env = new Env({ K_SINK: 'http://127.0.0.1:9/', K_OIDC_SERVICE_ACCOUNT: 'sa', K_OIDC_TOKEN_FILE: join(tmpdir(), 'no-such-dir', 'token') });
    await readSinkTokens(env, readRuntimeConfig(env));
    expect(env.problems).toEqual([]);
    expect(env.warnings.map((w) => w.variable)).toEqual(['K_OIDC_SERVICE_ACCOUNT']);
  });
});
