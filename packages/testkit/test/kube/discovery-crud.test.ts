import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ApiException,
  ApisApi,
  CoordinationV1Api,
  CoreApi,
  CoreV1Api,
  KubeConfig,
  KubernetesObjectApi,
  PatchStrategy,
  setHeaderOptions,
  V1MicroTime,
  VersionApi,
} from '@kubernetes/client-node';
import type { KubernetesObject, V1Lease, V1Pod } from '@kubernetes/client-node';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startKubeApiServer } from '../../src/kube/index.ts';
import type { KubeApiServer } from '../../src/kube/index.ts';

function pod(namespace: string, name: string, labels: Record<string, string> = {}): V1Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, labels },
    spec: { containers: [{ name: 'c', image: 'busybox' }] },
  };
}

/** The parsed `Status` of a failed client call. */
async function statusOf(
  promise: Promise<unknown>,
): Promise<{ code: number; reason?: string; message?: string; kind?: string }> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(ApiException);
    const e = err as ApiException<string>;
    const body = JSON.parse(e.body) as { code: number; reason?: string; message?: string; kind?: string };
    expect(body.code).toBe(e.code);
    return body;
  }
  throw new Error('expected the call to fail');
}

describe('KubeApiServer: discovery and CRUD with @kubernetes/client-node', () => {
  let server: KubeApiServer;
  let kc: KubeConfig;
  let core: CoreV1Api;

  beforeAll(async () => {
    server = await startKubeApiServer();
    kc = server.kubeConfig();
    core = kc.makeApiClient(CoreV1Api);
  });
  afterAll(async () => {
    await server.close();
  });

  it('serves discovery documents the client understands', async () => {
    const versions = await kc.makeApiClient(CoreApi).getAPIVersions();
    expect(versions.versions).toEqual(['v1']);

    const groups = await kc.makeApiClient(ApisApi).getAPIVersions();
    const names = groups.groups.map((g) => g.name);
    expect(names).toEqual(expect.arrayContaining(['apps', 'coordination.k8s.io']));
    expect(groups.groups.find((g) => g.name === 'apps')?.preferredVersion?.groupVersion).toBe('apps/v1');

    const core1 = await core.getAPIResources();
    const pods = core1.resources.find((r) => r.name === 'pods');
    expect(pods).toMatchObject({ kind: 'Pod', namespaced: true, singularName: 'pod' });
    expect(pods?.verbs).toEqual(
      expect.arrayContaining(['get', 'list', 'watch', 'create', 'update', 'patch', 'delete']),
    );
    expect(core1.resources.find((r) => r.name === 'namespaces')?.namespaced).toBe(false);

    const coordination = await kc.makeApiClient(CoordinationV1Api).getAPIResources();
    expect(coordination.groupVersion).toBe('coordination.k8s.io/v1');
    expect(coordination.resources.map((r) => r.name)).toContain('leases');

    const version = await kc.makeApiClient(VersionApi).getCode();
    expect(version.major).toBe('1');
  });

  it('rejects requests without the bearer token', async () => {
    const res = await fetch(`${server.url}/api/v1/pods`);
    expect(res.status).toBe(401);
    const withToken = await fetch(`${server.url}/api/v1/pods`, {
      headers: { authorization: `Bearer ${server.token}` },
    });
    expect(withToken.status).toBe(200);
    expect(
      server.requests.some((r) => r.path === '/api/v1/pods' && r.authorization === `Bearer ${server.token}`),
    ).toBe(true);
  });

  it('lists pods in two namespaces with label and field selectors', async () => {
    await core.createNamespace({ body: { metadata: { name: 'team-a' } } });
    await core.createNamespace({ body: { metadata: { name: 'team-b' } } });
    await core.createNamespacedPod({
      namespace: 'team-a',
      body: pod('team-a', 'a1', { app: 'web', tier: 'front' }),
    });
    await core.createNamespacedPod({ namespace: 'team-a', body: pod('team-a', 'a2', { app: 'db' }) });
    await core.createNamespacedPod({ namespace: 'team-b', body: pod('team-b', 'b1', { app: 'web' }) });

    const inA = await core.listNamespacedPod({ namespace: 'team-a' });
    expect(inA.items.map((p) => p.metadata?.name)).toEqual(['a1', 'a2']);
    expect(Number(inA.metadata?.resourceVersion)).toBeGreaterThan(0);

    const web = await core.listPodForAllNamespaces({ labelSelector: 'app=web' });
    expect(web.items.map((p) => `${p.metadata?.namespace}/${p.metadata?.name}`)).toEqual([
      'team-a/a1',
      'team-b/b1',
    ]);

    const cases: Array<[string, string[]]> = [
      ['app==web,tier=front', ['a1']],
      ['app!=web', ['a2']],
      ['app in (db, web)', ['a1', 'a2', 'b1']],
      ['app notin (web)', ['a2']],
      ['tier', ['a1']],
      ['!tier', ['a2', 'b1']],
    ];
    for (const [selector, expected] of cases) {
      const got = await core.listPodForAllNamespaces({ labelSelector: selector });
      expect(
        got.items.map((p) => p.metadata?.name),
        selector,
      ).toEqual(expected);
    }

    const byName = await core.listPodForAllNamespaces({ fieldSelector: 'metadata.name=b1' });
    expect(byName.items.map((p) => p.metadata?.namespace)).toEqual(['team-b']);
    const notA = await core.listPodForAllNamespaces({ fieldSelector: 'metadata.namespace!=team-a' });
    expect(notA.items.map((p) => p.metadata?.name)).toEqual(['b1']);

    const bad = await statusOf(core.listPodForAllNamespaces({ fieldSelector: 'spec.bogus=x' }));
    expect(bad).toMatchObject({ code: 400, reason: 'BadRequest' });

    const page1 = await core.listPodForAllNamespaces({ limit: 2 });
    expect(page1.items).toHaveLength(2);
    expect(page1.metadata?.remainingItemCount).toBe(1);
    const page2 = await core.listPodForAllNamespaces({ limit: 2, _continue: page1.metadata?._continue });
    expect(page2.items.map((p) => p.metadata?.name)).toEqual(['b1']);
    expect(page2.metadata?._continue).toBeUndefined();
  });

  it('fills in server-side metadata and keeps ownerReferences as given', async () => {
    const owner = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      name: 'rs-1',
      uid: 'uid-rs-1',
      controller: true,
    };
    const created = await core.createNamespacedPod({
      namespace: 'default',
      body: { metadata: { generateName: 'owned-', ownerReferences: [owner] }, spec: { containers: [] } },
    });
    expect(created.kind).toBe('Pod');
    expect(created.apiVersion).toBe('v1');
    expect(created.metadata?.name).toMatch(/^owned-[a-z0-9]{5}$/);
    expect(created.metadata?.uid).toBeTruthy();
    expect(created.metadata?.generation).toBe(1);
    expect(created.metadata?.creationTimestamp).toBeInstanceOf(Date);
    expect(created.metadata?.ownerReferences).toEqual([owner]);
    expect(
      server.get('v1', 'Pod', 'default', created.metadata?.name ?? '')?.metadata.ownerReferences,
    ).toEqual([owner]);
  });

  it('answers create, get, patch and delete errors with real Status objects', async () => {
    const dup = await statusOf(core.createNamespacedPod({ namespace: 'team-a', body: pod('team-a', 'a1') }));
    expect(dup).toMatchObject({
      kind: 'Status',
      code: 409,
      reason: 'AlreadyExists',
      message: 'pods "a1" already exists',
    });

    const missing = await statusOf(core.readNamespacedPod({ namespace: 'team-a', name: 'nope' }));
    expect(missing).toMatchObject({ code: 404, reason: 'NotFound', message: 'pods "nope" not found' });

    // Merge patch (the generated client defaults to JSON patch, so set the content type).
    const merged = await core.patchNamespacedPod(
      { namespace: 'team-a', name: 'a2', body: { metadata: { labels: { app: 'cache', extra: 'yes' } } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    expect(merged.metadata?.labels).toEqual({ app: 'cache', extra: 'yes' });

    // JSON patch is the generated client's default content type.
    const patched = await core.patchNamespacedPod({
      namespace: 'team-a',
      name: 'a2',
      body: [
        { op: 'remove', path: '/metadata/labels/extra' },
        { op: 'add', path: '/metadata/annotations', value: { note: 'x' } },
      ],
    });
    expect(patched.metadata?.labels).toEqual({ app: 'cache' });
    expect(patched.metadata?.annotations).toEqual({ note: 'x' });
    expect(Number(patched.metadata?.resourceVersion)).toBeGreaterThan(
      Number(merged.metadata?.resourceVersion),
    );

    const strategic = await core.patchNamespacedPod(
      { namespace: 'team-a', name: 'a2', body: { spec: { activeDeadlineSeconds: 5 } } },
      setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch),
    );
    expect(strategic.spec?.activeDeadlineSeconds).toBe(5);
    expect(strategic.metadata?.generation).toBe(2);

    const stalePatch = await statusOf(
      core.patchNamespacedPod(
        { namespace: 'team-a', name: 'a2', body: { metadata: { resourceVersion: '1', labels: { x: 'y' } } } },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      ),
    );
    expect(stalePatch).toMatchObject({ code: 409, reason: 'Conflict' });

    const deleted = await core.deleteNamespacedPod({ namespace: 'team-a', name: 'a2' });
    expect(deleted.metadata?.name).toBe('a2');
    expect(await statusOf(core.deleteNamespacedPod({ namespace: 'team-a', name: 'a2' }))).toMatchObject({
      code: 404,
    });
  });

  it('supports KubernetesObjectApi (discovery-driven generic client)', async () => {
    const client = KubernetesObjectApi.makeApiClient(kc);
    const spec: KubernetesObject & { data: Record<string, string> } = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'settings', namespace: 'team-b' },
      data: { a: '1' },
    };
    const cm = await client.create(spec);
    expect(cm.metadata?.resourceVersion).toBeTruthy();
    const read = await client.read({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'settings', namespace: 'team-b' },
    });
    expect((read as unknown as { data: Record<string, string> }).data).toEqual({ a: '1' });
    await client.patch(
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'settings', namespace: 'team-b' },
        data: { b: '2' },
      } as never,
      undefined,
      undefined,
      undefined,
      undefined,
      PatchStrategy.MergePatch,
    );
    const listed = await client.list('v1', 'ConfigMap', 'team-b');
    expect(listed.items.map((i) => (i as unknown as { data: Record<string, string> }).data)).toEqual([
      { a: '1', b: '2' },
    ]);
    const deployments = await client.list('apps/v1', 'Deployment');
    expect(deployments.items).toEqual([]);
    await client.delete({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'settings', namespace: 'team-b' },
    });
    expect(server.get('v1', 'configmaps', 'team-b', 'settings')).toBeUndefined();
  });

  it('enforces optimistic concurrency on Lease replace (409 Conflict)', async () => {
    const leases = kc.makeApiClient(CoordinationV1Api);
    // A plain Date serializes with 3 fractional digits, which the real server rejects for MicroTime.
    const withDate = await statusOf(
      leases.createNamespacedLease({
        namespace: 'default',
        body: { metadata: { name: 'bad' }, spec: { renewTime: new Date() } },
      }),
    );
    expect(withDate).toMatchObject({ code: 400, reason: 'BadRequest' });

    const now = new V1MicroTime();
    const lease: V1Lease = {
      metadata: { name: 'adapter-leader', namespace: 'default' },
      spec: {
        holderIdentity: 'pod-a',
        leaseDurationSeconds: 15,
        acquireTime: now,
        renewTime: now,
        leaseTransitions: 0,
      },
    };
    const created = await leases.createNamespacedLease({ namespace: 'default', body: lease });
    expect(created.spec?.holderIdentity).toBe('pod-a');

    const dup = await statusOf(leases.createNamespacedLease({ namespace: 'default', body: lease }));
    expect(dup).toMatchObject({ code: 409, reason: 'AlreadyExists' });

    // Both candidates read the same version...
    const seenByA = await leases.readNamespacedLease({ namespace: 'default', name: 'adapter-leader' });
    const seenByB = await leases.readNamespacedLease({ namespace: 'default', name: 'adapter-leader' });
    // MicroTime fields come back as strings (the client does not revive them into Dates).
    expect(String(seenByA.spec?.renewTime)).toMatch(/\.\d{6}Z$/);

    // ...A renews first and wins...
    seenByA.spec = { ...seenByA.spec, renewTime: new V1MicroTime(now.getTime() + 1000) };
    const renewed = await leases.replaceNamespacedLease({
      namespace: 'default',
      name: 'adapter-leader',
      body: seenByA,
    });
    expect(Number(renewed.metadata?.resourceVersion)).toBeGreaterThan(
      Number(seenByA.metadata?.resourceVersion),
    );

    // ...so B's takeover with the stale resourceVersion conflicts.
    seenByB.spec = { ...seenByB.spec, holderIdentity: 'pod-b', leaseTransitions: 1 };
    const conflict = await statusOf(
      leases.replaceNamespacedLease({ namespace: 'default', name: 'adapter-leader', body: seenByB }),
    );
    expect(conflict).toMatchObject({ code: 409, reason: 'Conflict' });
    expect(conflict.message).toContain('leases.coordination.k8s.io "adapter-leader"');
    expect(
      server.get<V1Lease>('coordination.k8s.io/v1', 'Lease', 'default', 'adapter-leader')?.spec
        ?.holderIdentity,
    ).toBe('pod-a');

    // Retrying on the fresh version succeeds.
    const fresh = await leases.readNamespacedLease({ namespace: 'default', name: 'adapter-leader' });
    fresh.spec = { ...fresh.spec, holderIdentity: 'pod-b' };
    const takeover = await leases.replaceNamespacedLease({
      namespace: 'default',
      name: 'adapter-leader',
      body: fresh,
    });
    expect(takeover.spec?.holderIdentity).toBe('pod-b');

    const gone = await leases.deleteNamespacedLease({ namespace: 'default', name: 'adapter-leader' });
    expect(gone.status).toBe('Success');
  });

  it('writes a kubeconfig file a separate KubeConfig can load', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kubeconfig-'));
    try {
      const path = await server.writeKubeconfig(join(dir, 'config'), { namespace: 'team-b' });
      expect(await readFile(path, 'utf8')).toContain('insecure-skip-tls-verify: true');
      const loaded = new KubeConfig();
      loaded.loadFromFile(path);
      expect(loaded.getContextObject(loaded.getCurrentContext())?.namespace).toBe('team-b');
      const pods = await loaded.makeApiClient(CoreV1Api).listNamespacedPod({ namespace: 'team-b' });
      expect(pods.items.map((p) => p.metadata?.name)).toEqual(['b1']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
