import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  bundlePath,
  freePort,
  pingSourceObject,
  startKubeApiServer,
  startProcess,
  startRecordingSink,
  waitFor,
  type AdapterProcess,
  type KubeApiServer,
  type PingSourceObjectOptions,
  type ReceivedEvent,
  type RecordingSink,
} from '@tributary/testkit';
import { controllerEnv, manifestEnv, manifestEnvV118 } from './fixtures/pingsource-mt-adapter.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const PING = 'sources.knative.dev/v1';
const source = (namespace: string, name: string) => `/apis/v1/namespaces/${namespace}/pingsources/${name}`;
const from = (namespace: string, name: string) => (event: ReceivedEvent) => event.attributes['source'] === source(namespace, name);
const timeOf = (event: ReceivedEvent) => Date.parse(String(event.attributes['time']));

// The `pingsource-mt-adapter` Deployment's env, with no K_SINK and no schedule: ping lists and
// watches the PingSource objects and serves each Ready one to its status.sinkUri.
describe('ping as the pingsource-mt-adapter Deployment', () => {
  let kube: KubeApiServer;
  let sink: RecordingSink;
  let proc: AdapterProcess | undefined;

  beforeEach(async () => {
    kube = await startKubeApiServer();
    sink = await startRecordingSink();
  });
  afterEach(async () => {
    await proc?.stop(2_000);
    proc = undefined;
    await sink.close();
    await kube.close();
  });

  const create = (options: Omit<PingSourceObjectOptions, 'sinkUri'> & { sinkUri?: string | null }) =>
    kube.create(pingSourceObject({ ...options, sinkUri: options.sinkUri === null ? undefined : (options.sinkUri ?? sink.url) }));

  async function startAdapter(env: Record<string, string>): Promise<{ proc: AdapterProcess; port: number }> {
    const kubeconfig = await kube.writeKubeconfig(join(mkdtempSync(join(tmpdir(), 'tributary-mtping-')), 'config'));
    const port = await freePort();
    const started = startProcess(bundlePath('ping'), {
      ...env,
      PORT: String(port),
      METRICS_PORT: String(await freePort()),
      KUBECONFIG: kubeconfig,
      K_SINK_BACKOFF_DELAY: 'PT0.01S',
    });
    return { proc: started, port };
  }

  it('serves every Ready PingSource as mt-ping does, skips a bad schedule, and follows adds, changes and deletes', async () => {
    create({
      namespace: 'team-a',
      name: 'every-second',
      spec: { schedule: '* * * * * *', contentType: 'application/json', data: '{"message": "Hello world!"}', ceOverrides: { extensions: { team: 'a' } } },
    });
    create({ namespace: 'team-b', name: 'bytes', spec: { schedule: '* * * * * *', timezone: 'Asia/Shanghai', dataBase64: 'AAEC/w==' } });
    create({ namespace: 'team-b', name: 'bad-schedule', spec: { schedule: '61 * * * *', data: 'never' } });
    create({ namespace: 'team-c', name: 'no-sink-yet', spec: { schedule: '* * * * * *', data: 'waiting' }, sinkUri: null });

    ({ proc } = await startAdapter(manifestEnv('pingsource-mt-adapter-7d4b9c-x2x9z')));
    const rejected = await proc.waitForLog((line) => line['msg'] === 'ping source rejected');
    expect(rejected).toMatchObject({ level: 'error', pingsource: { namespace: 'team-b', name: 'bad-schedule' } });
    expect(String(rejected['reason'])).toContain('spec.schedule: "61 * * * *" is not a valid cron expression');
    await waitFor(() => sink.events.filter(from('team-a', 'every-second')).length >= 2 && sink.events.some(from('team-b', 'bytes')), {
      what: 'ticks of both good sources',
      timeoutMs: 8_000,
    });

    const json = sink.events.find(from('team-a', 'every-second'))!;
    expect(json.attributes).toMatchObject({
      specversion: '1.0',
      type: 'dev.knative.sources.ping',
      source: source('team-a', 'every-second'),
      datacontenttype: 'application/json',
      team: 'a',
    });
    expect(String(json.attributes['id'])).toMatch(UUID);
    expect(timeOf(json) % 1000).toBe(0);
    expect(json.json()).toEqual({ message: 'Hello world!' });
    expect(json.headers['kn-namespace']).toBe('team-a');
    const bytes = sink.events.find(from('team-b', 'bytes'))!;
    // No contentType: Knative sends no Content-Type; core labels a binary body application/octet-stream (packages/ping/README.md).
    expect(bytes.headers['content-type']).toBe('application/octet-stream');
    expect([...bytes.data!]).toEqual([0, 1, 2, 255]);
    expect(bytes.headers['kn-namespace']).toBe('team-b');
    expect(sink.events.some(from('team-b', 'bad-schedule')) || sink.events.some(from('team-c', 'no-sink-yet'))).toBe(false);

    // Change: new data; add: a new source; ready: the waiting one gets its sink; delete: one goes.
    kube.patch(PING, 'PingSource', 'team-a', 'every-second', { spec: { data: '{"message": "changed"}' } });
    create({ namespace: 'team-d', name: 'added', spec: { schedule: '* * * * * *', data: 'new' } });
    kube.update({ ...pingSourceObject({ namespace: 'team-c', name: 'no-sink-yet', spec: { schedule: '* * * * * *', data: 'waiting' }, sinkUri: sink.url }), metadata: kube.get(PING, 'PingSource', 'team-c', 'no-sink-yet')!.metadata });
    kube.delete(PING, 'PingSource', 'team-b', 'bytes');
    const deletedAt = Date.now();
    await waitFor(
      () =>
        sink.events.some((e) => from('team-a', 'every-second')(e) && e.text() === '{"message": "changed"}') &&
        sink.events.filter(from('team-d', 'added')).length >= 2 &&
        sink.events.filter(from('team-c', 'no-sink-yet')).length >= 2,
      { what: 'the changed, added and newly Ready sources', timeoutMs: 15_000 },
    );
    // A tick already handed to the sink client when the delete arrived may still land; none after.
    expect(sink.events.filter((e) => from('team-b', 'bytes')(e) && timeOf(e) > deletedAt + 1000)).toEqual([]);

    // Fixing the bad schedule serves it.
    kube.patch(PING, 'PingSource', 'team-b', 'bad-schedule', { spec: { schedule: '* * * * * *' } });
    await waitFor(() => sink.events.some(from('team-b', 'bad-schedule')), { what: 'the fixed source', timeoutMs: 10_000 });
  });

  it('is ready on the Deployment probe paths after the first list, and accepts the knative-v1.18 env', async () => {
    create({ namespace: 'default', name: 'tick', spec: { schedule: '* * * * * *' } });
    const started = await startAdapter(manifestEnvV118('pingsource-mt-adapter-5f6d8-abcde'));
    proc = started.proc;
    await proc.waitForReady(started.port, 30_000);
    for (const path of ['/health', '/readiness']) expect((await fetch(`http://127.0.0.1:${started.port}${path}`)).status).toBe(200);
    await proc.waitForLog((line) => line['msg'] === 'ping sources applied' && line['served'] === 1);
    await waitFor(() => sink.events.length >= 1, { what: 'a tick', timeoutMs: 10_000 });
    // No data: no datacontenttype and no body, as Knative's SetData is never called.
    expect(sink.events[0]!.attributes['datacontenttype']).toBeUndefined();
    expect(sink.events[0]!.data?.length ?? 0).toBe(0);
    expect((await proc.stop()).code).toBe(0);
    proc = undefined;
  });

  it('with the env the PingSource controller writes: one leader, and a graceful handover sends every tick once', async () => {
    create({ namespace: 'team-a', name: 'every-second', spec: { schedule: '* * * * * *', data: 'tick' } });
    // A graceful handover does not wait for the lease to expire; a long lease keeps a loaded machine
    // from turning a slow renewal into a lost lease (a crash, where ticks may be missed by design).
    const env = controllerEnv({ leaseMs: 8_000, renewMs: 6_000, retryMs: 200 });
    const a = await startAdapter(env);
    proc = a.proc;
    await a.proc.waitForLog((line) => line['msg'] === 'became leader');
    const b = await startAdapter(env);
    await b.proc.waitForReady(b.port, 30_000);
    await waitFor(() => sink.events.length >= 3, { what: 'ticks from the first leader', timeoutMs: 15_000 });

    // A stops (a rollout): B takes over, lists the PingSources and replays the ticks since A stopped.
    expect((await a.proc.stop()).code).toBe(0);
    proc = b.proc;
    await b.proc.waitForLog((line) => line['msg'] === 'became leader', 15_000);
    const replay = await b.proc.waitForLog((line) => String(line['msg']).startsWith('took over: replayed'), 20_000);
    const handedOver = sink.events.length;
    await waitFor(() => sink.events.length >= handedOver + 3, { what: 'ticks from the new leader', timeoutMs: 15_000 });
    await b.proc.stop();
    proc = undefined;

    const times = sink.events.map(timeOf).sort((x, y) => x - y);
    const context = JSON.stringify({
      times: times.map((t) => new Date(t).toISOString()),
      replay,
      logs: [...a.proc.logs, ...b.proc.logs].filter((l) => /skipped|stopped|became|term/.test(String(l['msg']))),
    });
    expect(new Set(times).size, context).toBe(times.length);
    expect(times.at(-1)! - times[0]!, context).toBe((times.length - 1) * 1000);
  });

  it('retries a refused list with a hint, and after a cut watch and a compacted history relists: deletes and adds made meanwhile apply', async () => {
    create({ namespace: 'team-a', name: 'first', spec: { schedule: '* * * * * *', data: 'first' } });
    kube.failNext(2, 403, { path: /pingsources$/, watch: false });
    const started = await startAdapter(manifestEnv('pingsource-mt-adapter-7d4b9c-r3tr7'));
    proc = started.proc;
    const refused = await proc.waitForLog((line) => line['msg'] === 'PingSource list or watch failed: retrying');
    expect(refused).toMatchObject({ level: 'warn', code: 403, hint: expect.stringContaining('get, list and watch on pingsources.sources.knative.dev') });
    await proc.waitForReady(started.port, 30_000);
    await waitFor(() => sink.events.some(from('team-a', 'first')), { what: 'a tick after the retried list', timeoutMs: 15_000 });

    // While the watch is down: one source deleted, one created, and the history compacted away.
    expect(kube.cutWatches({ path: /pingsources$/ })).toBeGreaterThan(0);
    kube.delete(PING, 'PingSource', 'team-a', 'first');
    const deletedAt = Date.now();
    create({ namespace: 'team-a', name: 'second', spec: { schedule: '* * * * * *', data: 'second' } });
    kube.compact();
    await waitFor(() => sink.events.filter(from('team-a', 'second')).length >= 2, { what: 'ticks of the source created meanwhile', timeoutMs: 15_000 });
    expect(sink.events.filter((e) => from('team-a', 'first')(e) && timeOf(e) > deletedAt + 1000)).toEqual([]);
  });

  it('loads thousands of PingSources from one list as one batch and ticks on', async () => {
    for (let i = 0; i < 3_000; i++) {
      create({ namespace: `team-${i % 50}`, name: `nightly-${i}`, spec: { schedule: `${i % 60} ${i % 24} * * *`, data: `report ${i}` } });
    }
    create({ namespace: 'team-a', name: 'every-second', spec: { schedule: '* * * * * *', data: 'tick' } });
    const started = await startAdapter(manifestEnv('pingsource-mt-adapter-7d4b9c-m4ny'));
    proc = started.proc;
    const applied = await proc.waitForLog((line) => line['msg'] === 'ping sources applied', 30_000);
    expect(applied).toMatchObject({ served: 3_001, added: 3_001, rejected: 0 });
    await waitFor(() => sink.events.filter(from('team-a', 'every-second')).length >= 2, { what: 'ticks beside 3,000 sources', timeoutMs: 15_000 });
  });
});
