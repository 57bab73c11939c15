import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ApiException,
  CoordinationV1Api,
  CoreV1Api,
  makeInformer,
  PatchStrategy,
  setHeaderOptions,
  Watch,
} from '@kubernetes/client-node';
import type { KubeConfig, V1Pod } from '@kubernetes/client-node';
import { KubeApiError, startKubeApiServer } from '../../src/kube/index.ts';
import type { KubeApiServer } from '../../src/kube/index.ts';
import { waitFor } from '../../src/wait.ts';

function pod(namespace: string, name: string, extra: Partial<V1Pod> = {}): V1Pod {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace }, spec: { containers: [] }, ...extra };
}

async function codeOf(promise: Promise<unknown>): Promise<number | string> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof ApiException) return err.code as number;
    return (err as Error).name;
  }
  return 'ok';
}

describe('KubeApiServer: fault injection', () => {
  let server: KubeApiServer;
  let kc: KubeConfig;
  let core: CoreV1Api;

  beforeEach(async () => {
    server = await startKubeApiServer();
    kc = server.kubeConfig();
    core = kc.makeApiClient(CoreV1Api);
  });
  afterEach(async () => {
    await server.close();
  });

  it('failNext(n, status) fails the next matching requests with a Status', async () => {
    const leases = kc.makeApiClient(CoordinationV1Api);
    server.failNext(2, 500, { path: /\/leases/ });
    expect(await codeOf(core.listNamespacedPod({ namespace: 'default' }))).toBe('ok');
    expect(await codeOf(leases.listNamespacedLease({ namespace: 'default' }))).toBe(500);
    expect(await codeOf(leases.listNamespacedLease({ namespace: 'default' }))).toBe(500);
    expect(await codeOf(leases.listNamespacedLease({ namespace: 'default' }))).toBe('ok');
    expect(server.requests.filter((r) => r.path.includes('leases')).map((r) => r.status)).toEqual([
      500, 500, 200,
    ]);

    server.failNext(1, 503, { watch: true });
    let doneErr: unknown;
    await new Watch(kc).watch(
      '/api/v1/pods',
      {},
      () => undefined,
      (err) => (doneErr = err),
    );
    await waitFor(() => doneErr !== undefined, { what: 'watch failure' });
    expect((doneErr as { statusCode?: number }).statusCode).toBe(503);
  });

  it('pause("refuse") makes the server unreachable until resume()', async () => {
    server.pause();
    const err = await core.listNamespacedPod({ namespace: 'default' }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(Error);
    expect(err).not.toBeInstanceOf(ApiException);
    server.resume();
    expect(await codeOf(core.listNamespacedPod({ namespace: 'default' }))).toBe('ok');
  });

  it('pause("hang") holds requests and watch output until resume()', async () => {
    const events: string[] = [];
    await new Watch(kc).watch(
      '/api/v1/pods',
      { resourceVersion: server.resourceVersion },
      (type, obj: V1Pod) => events.push(`${type} ${obj.metadata?.name}`),
      () => undefined,
    );
    await server.waitForWatches(1);
    server.pause('hang');
    let settled = false;
    const pending = core.readNamespace({ name: 'default' }).then((ns) => {
      settled = true;
      return ns;
    });
    server.create(pod('default', 'during-pause'));
    await new Promise((r) => setTimeout(r, 200));
    expect(settled).toBe(false);
    expect(events).toEqual([]);
    server.resume();
    expect((await pending).metadata?.name).toBe('default');
    await waitFor(() => events.length === 1, { what: 'buffered event' });
    expect(events).toEqual(['ADDED during-pause']);
    server.cutWatches();
  });

  it('setLatency delays responses', async () => {
    server.setLatency(150);
    const started = Date.now();
    await core.listNamespace();
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    server.setLatency(0);
  });

  it('an informer whose initial list fails reports an error', async () => {
    server.failNext(1, 500, { method: 'GET', path: '/api/v1/namespaces/default/pods', watch: false });
    const informer = makeInformer(kc, '/api/v1/namespaces/default/pods', () =>
      core.listNamespacedPod({ namespace: 'default' }),
    );
    const errors: unknown[] = [];
    informer.on('error', (e) => errors.push(e));
    await informer.start();
    expect(errors).toHaveLength(1);
    expect((errors[0] as ApiException<string>).code).toBe(500);
    expect(server.watchCount()).toBe(0);
  });
});

describe('KubeApiServer: object semantics', () => {
  let server: KubeApiServer;
  let kc: KubeConfig;
  let core: CoreV1Api;

  beforeEach(async () => {
    server = await startKubeApiServer({ requireNamespace: true });
    kc = server.kubeConfig();
    core = kc.makeApiClient(CoreV1Api);
  });
  afterEach(async () => {
    await server.close();
  });

  it('seeds the standard namespaces and (optionally) requires the namespace to exist', async () => {
    const names = (await core.listNamespace()).items.map((n) => n.metadata?.name);
    expect(names).toEqual(['default', 'kube-node-lease', 'kube-public', 'kube-system']);
    expect(await codeOf(core.createNamespacedPod({ namespace: 'missing', body: pod('missing', 'p') }))).toBe(
      404,
    );
    expect(
      await codeOf(core.createNamespacedPod({ namespace: 'default', body: pod('kube-system', 'p') })),
    ).toBe(400);
  });

  it('keeps status on main-resource writes and changes it via /status; no-op updates keep the version', async () => {
    const created = await core.createNamespacedPod({
      namespace: 'default',
      body: pod('default', 'p', { status: { phase: 'Pending' } }),
    });
    created.status = { phase: 'Running' };
    created.spec = { containers: [], nodeName: 'node-1' };
    const replaced = await core.replaceNamespacedPod({ namespace: 'default', name: 'p', body: created });
    expect(replaced.status?.phase).toBe('Pending');
    expect(replaced.metadata?.generation).toBe(2);

    const statusPatched = await core.patchNamespacedPodStatus(
      {
        namespace: 'default',
        name: 'p',
        body: { status: { phase: 'Running' }, spec: { nodeName: 'ignored' } },
      },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    expect(statusPatched.status?.phase).toBe('Running');
    expect(statusPatched.spec?.nodeName).toBe('node-1');
    expect(statusPatched.metadata?.generation).toBe(2);

    const same = await core.replaceNamespacedPod({ namespace: 'default', name: 'p', body: statusPatched });
    expect(same.metadata?.resourceVersion).toBe(statusPatched.metadata?.resourceVersion);

    const running = await core.listPodForAllNamespaces({ fieldSelector: 'status.phase=Running' });
    expect(running.items.map((p) => p.metadata?.name)).toEqual(['p']);
  });

  it('direct store writes enforce optimistic concurrency too', () => {
    const a = server.create(pod('default', 'x'));
    server.update({ ...a, metadata: { ...a.metadata, labels: { v: '1' } } });
    expect(() => server.update({ ...a, metadata: { ...a.metadata, labels: { v: '2' } } })).toThrow(
      KubeApiError,
    );
    try {
      server.update(a);
    } catch (err) {
      expect((err as KubeApiError).status).toMatchObject({ code: 409, reason: 'Conflict' });
    }
    expect(server.list('v1', 'pods', 'default', { labelSelector: 'v=1' })).toHaveLength(1);
  });

  it('finalizers defer deletion until removed; deleting a namespace removes its contents', async () => {
    const events: string[] = [];
    await new Watch(kc).watch(
      '/api/v1/pods',
      { resourceVersion: server.resourceVersion },
      (type, obj: V1Pod) => {
        events.push(
          `${type} ${obj.metadata?.name} ${obj.metadata?.deletionTimestamp ? 'terminating' : ''}`.trim(),
        );
      },
      () => undefined,
    );
    await core.createNamespace({ body: { metadata: { name: 'tmp' } } });
    server.create(
      pod('tmp', 'guarded', {
        metadata: { name: 'guarded', namespace: 'tmp', finalizers: ['example.com/hold'] },
      }),
    );
    const first = await core.deleteNamespacedPod({ namespace: 'tmp', name: 'guarded' });
    expect(first.metadata?.deletionTimestamp).toBeInstanceOf(Date);
    expect(server.get('v1', 'Pod', 'tmp', 'guarded')).toBeDefined();
    await core.patchNamespacedPod({
      namespace: 'tmp',
      name: 'guarded',
      body: [{ op: 'remove', path: '/metadata/finalizers' }],
    });
    expect(server.get('v1', 'Pod', 'tmp', 'guarded')).toBeUndefined();

    server.create(pod('tmp', 'inside'));
    await core.deleteNamespace({ name: 'tmp' });
    expect(server.list('v1', 'Pod', 'tmp')).toEqual([]);
    await waitFor(() => events.length === 6, { what: 'pod events' });
    expect(events).toEqual([
      'ADDED guarded',
      'MODIFIED guarded terminating',
      'MODIFIED guarded terminating',
      'DELETED guarded terminating',
      'ADDED inside',
      'DELETED inside',
    ]);
    server.cutWatches();
  });

  it('lists a consistent snapshot with resourceVersionMatch=Exact', async () => {
    server.create(pod('default', 'a'));
    const at = server.resourceVersion;
    server.create(pod('default', 'b'));
    server.delete('v1', 'Pod', 'default', 'a');
    const snapshot = await core.listNamespacedPod({
      namespace: 'default',
      resourceVersion: at,
      resourceVersionMatch: 'Exact',
    });
    expect(snapshot.items.map((p) => p.metadata?.name)).toEqual(['a']);
    expect(snapshot.metadata?.resourceVersion).toBe(at);
    server.compact();
    expect(
      await codeOf(
        core.listNamespacedPod({ namespace: 'default', resourceVersion: at, resourceVersionMatch: 'Exact' }),
      ),
    ).toBe(410);
  });
});
