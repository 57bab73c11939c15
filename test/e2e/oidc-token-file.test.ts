import { mkdtempSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { adapterEnv, bundlePath, startProcess, startRecordingSink, waitFor, type AdapterProcess, type RecordingSink } from '@tributary/testkit';

// Under a SinkBinding with OIDC, Knative mounts the sink's token at /oidc/token and sets no
// K_AUDIENCE: the built bundle must start without the file, send the token once it exists, and
// follow it when it is rotated.
describe('the SinkBinding token file, with the built bundle', () => {
  let sink: RecordingSink | undefined;
  let proc: AdapterProcess | undefined;
  afterEach(async () => {
    await proc?.stop(5_000);
    await sink?.close();
  });

  it('starts without /oidc/token, then sends the token on every delivery once it exists, and the rotated one after', async () => {
    let expected = 'Bearer token-one';
    const authorize = (header: string | undefined) => (header === expected ? undefined : `got ${header ?? 'no header'}`);
    sink = await startRecordingSink({ authorize });
    const dir = mkdtempSync(join(tmpdir(), 'oidc-'));
    const file = join(dir, 'token');
    const env = await adapterEnv(sink.url, { POD_NAME: 'hb', POD_NAMESPACE: 'demo', HEARTBEAT_PERIOD: '200ms', K_OIDC_TOKEN_FILE: file, K_SINK_RETRY: '0' });
    proc = startProcess(bundlePath('heartbeat'), env);
    await proc.waitForReady(Number(env.PORT), 30_000);
    const refused = sink;
    await waitFor(() => refused.rejected.some((r) => r.reason === 'got no header'), { timeoutMs: 30_000, what: 'a delivery without a token' });

    // Written as kubelet updates a Secret volume: a new file moved into place.
    writeFileSync(`${file}.tmp`, 'token-one\n');
    renameSync(`${file}.tmp`, file);
    await sink.waitForEvents(2, 30_000);
    expected = 'Bearer token-two';
    const before = sink.events.length;
    writeFileSync(`${file}.tmp`, 'token-two');
    renameSync(`${file}.tmp`, file);
    await sink.waitForEvents(before + 2, 30_000);

    const tokens = sink.events.map((event) => event.headers.authorization);
    expect(new Set(tokens.slice(0, before))).toEqual(new Set(['Bearer token-one']));
    expect(tokens.slice(-2)).toEqual(['Bearer token-two', 'Bearer token-two']);
    expect(sink.rejected.every((r) => r.status === 401)).toBe(true);
    expect(proc.stdout()).not.toContain('token-one');
  });
});

