import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CoreV1Api, CustomObjectsApi, makeInformer, Watch } from '@kubernetes/client-node';
import type { KubeConfig, KubernetesObject, V1Pod } from '@kubernetes/client-node';
import { startKubeApiServer } from '../../src/kube/index.ts';
import type { KubeApiServer } from '../../src/kube/index.ts';
import { waitFor } from '../../src/wait.ts';

interface Seen {
  type: string;
  name: string | undefined;
  namespace: string | undefined;
  rv: string | undefined;
  object: KubernetesObject & Record<string, unknown>;
}

/** Opens a watch with the real client and records events and the done callback. */
async function openWatch(
  kc: KubeConfig,
  path: string,
  query: Record<string, string | number | boolean> = {},
) {
  const events: Seen[] = [];
  const done: { called: boolean; err: unknown } = { called: false, err: undefined };
  const controller = await new Watch(kc).watch(
    path,
    query,
    (type, obj: KubernetesObject & Record<string, unknown>) => {
      events.push({
        type,
        name: obj.metadata?.name,
        namespace: obj.metadata?.namespace,
        rv: obj.metadata?.resourceVersion,
        object: obj,
      });
    },
    (err) => {
      done.called = true;
      done.err = err;
    },
  );
  return { events, done, stop: () => controller.abort() };
}

function pod(namespace: string, name: string, labels: Record<string, string> = {}): V1Pod {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace, labels }, spec: { containers: [] } };
}

describe('KubeApiServer: watches with @kubernetes/client-node', () => {
  let server: KubeApiServer;
  let kc: KubeConfig;
  let core: CoreV1Api;

  beforeEach(async () => {
    server = await startKubeApiServer({ bookmarkIntervalMs: 100 });
    kc = server.kubeConfig();
    core = kc.makeApiClient(CoreV1Api);
  });
  afterEach(async () => {
    await server.close();
  });

  it('makeInformer sees the initial list, then add, update and delete', async () => {
    server.create(pod('ns1', 'existing'));
    const informer = makeInformer(kc, '/api/v1/namespaces/ns1/pods', () =>
      core.listNamespacedPod({ namespace: 'ns1' }),
    );
    const log: string[] = [];
    const kinds: Array<string | undefined> = [];
    informer.on('add', (p) => log.push(`add ${p.metadata?.name}`));
    informer.on('add', (p) => kinds.push(p.kind));
    informer.on('update', (p) => log.push(`update ${p.metadata?.name} ${p.metadata?.labels?.v ?? ''}`));
    informer.on('delete', (p) => log.push(`delete ${p.metadata?.name}`));
    await informer.start();
    try {
      await server.waitForWatches(1, { path: '/api/v1/namespaces/ns1/pods' });
      expect(log).toEqual(['add existing']);

      server.create(pod('ns1', 'p1'));
      server.create(pod('other', 'ignored'));
      await waitFor(() => log.length === 2, { what: 'add' });
      const current = server.get('v1', 'Pod', 'ns1', 'p1');
      if (!current) throw new Error('missing');
      current.metadata.labels = { v: '2' };
      server.update(current);
      await waitFor(() => log.length === 3, { what: 'update' });
      server.delete('v1', 'pods', 'ns1', 'p1');
      await waitFor(() => log.length === 4, { what: 'delete' });
      expect(log).toEqual(['add existing', 'add p1', 'update p1 2', 'delete p1']);
      // As with the real server, items of a built-in list carry no kind/apiVersion; watch objects do.
      expect(kinds).toEqual([undefined, 'Pod']);
      expect(informer.list('ns1').map((p) => p.metadata?.name)).toEqual(['existing']);

      // The informer lists, then watches from the list's resourceVersion (no bookmarks requested).
      const [list, watch] = server.requests.filter((r) => r.path === '/api/v1/namespaces/ns1/pods');
      expect(list).toMatchObject({ method: 'GET', watch: false, status: 200 });
      expect(watch).toMatchObject({ method: 'GET', watch: true, query: { watch: 'true' } });
      expect(Number(watch?.query.resourceVersion)).toBeGreaterThan(0);
      expect(watch?.query.allowWatchBookmarks).toBeUndefined();
    } finally {
      await informer.stop();
    }
  });

  it('replays history from a resourceVersion and answers 410 Expired once compacted', async () => {
    const first = server.create(pod('default', 'a'));
    server.create(pod('default', 'b'));
    server.delete('v1', 'Pod', 'default', 'a');

    const replay = await openWatch(kc, '/api/v1/namespaces/default/pods', {
      resourceVersion: first.metadata.resourceVersion,
    });
    await waitFor(() => replay.events.length === 2, { what: 'replayed events' });
    expect(replay.events.map((e) => `${e.type} ${e.name}`)).toEqual(['ADDED b', 'DELETED a']);
    expect(replay.events[1]?.rv).toBe(server.resourceVersion);
    replay.stop();

    const compactedAt = server.compact();
    const expired = await openWatch(kc, '/api/v1/namespaces/default/pods', {
      resourceVersion: first.metadata.resourceVersion,
    });
    await waitFor(() => expired.done.called, { what: 'expired watch to end' });
    expect(expired.done.err).toBeNull();
    expect(expired.events).toHaveLength(1);
    expect(expired.events[0]?.type).toBe('ERROR');
    expect(expired.events[0]?.object).toMatchObject({
      kind: 'Status',
      apiVersion: 'v1',
      status: 'Failure',
      reason: 'Expired',
      code: 410,
      message: `too old resource version: ${first.metadata.resourceVersion} (${compactedAt})`,
    });

    // Watching from the compaction point itself is still fine.
    const ok = await openWatch(kc, '/api/v1/namespaces/default/pods', { resourceVersion: compactedAt });
    server.create(pod('default', 'c'));
    await waitFor(() => ok.events.length === 1, { what: 'live event' });
    expect(ok.events[0]?.type).toBe('ADDED');
    ok.stop();
  });

  it('an informer that reconnects with an expired version relists (410 -> list)', async () => {
    server.create(pod('ns1', 'x'));
    const path = '/api/v1/namespaces/ns1/pods';
    const informer = makeInformer(kc, path, () => core.listNamespacedPod({ namespace: 'ns1' }));
    const log: string[] = [];
    informer.on('add', (p) => log.push(`add ${p.metadata?.name}`));
    informer.on('delete', (p) => log.push(`delete ${p.metadata?.name}`));
    informer.on('error', (e) => log.push(`error ${String(e)}`));
    await informer.start();
    try {
      await server.waitForWatches(1, { path });
      // Partition: the watch misses a change, history is compacted, the stream then ends.
      server.pause('hang');
      server.delete('v1', 'Pod', 'ns1', 'x');
      server.create(pod('ns1', 'y'));
      server.compact();
      server.cutWatches({ graceful: true });
      server.resume();

      await waitFor(() => log.includes('add y') && log.includes('delete x'), {
        what: 'relist',
        timeoutMs: 5000,
      });
      expect(log).toEqual(['add x', 'delete x', 'add y']);
      expect(informer.list().map((p) => p.metadata?.name)).toEqual(['y']);
      expect(server.countRequests({ method: 'GET', path, watch: false })).toBe(2);
      await server.waitForWatches(1, { path });
      // watch -> (cut) re-watch from the old version -> 410 -> list -> fresh watch
      const watches = server.requests.filter((r) => r.watch);
      expect(watches).toHaveLength(3);
      expect(watches[1]?.query.resourceVersion).toBe(watches[0]?.query.resourceVersion);
    } finally {
      await informer.stop();
    }
  });

  it('cutWatches() ends streams: abrupt cut errors the client, graceful cut resumes without relisting', async () => {
    const w = await openWatch(kc, '/api/v1/pods');
    await server.waitForWatches(1);
    expect(server.cutWatches()).toBe(1);
    await waitFor(() => w.done.called, { what: 'done callback' });
    expect(w.done.err).toBeInstanceOf(Error);
    await waitFor(() => server.watchCount() === 0, { what: 'watch closed' });

    const path = '/api/v1/namespaces/ns1/pods';
    const informer = makeInformer(kc, path, () => core.listNamespacedPod({ namespace: 'ns1' }));
    const errors: unknown[] = [];
    const added: string[] = [];
    informer.on('error', (e) => errors.push(e));
    informer.on('add', (p) => added.push(p.metadata?.name ?? ''));
    await informer.start();
    try {
      await server.waitForWatches(1, { path });
      // Graceful end (like a server-side timeout): the informer re-watches from its last version.
      server.create(pod('ns1', 'one'));
      await waitFor(() => added.length === 1, { what: 'first add' });
      server.cutWatches({ graceful: true });
      await waitFor(
        () => server.countRequests({ path, watch: true }) === 2 && server.watchCount(path) === 1,
        { what: 'rewatch' },
      );
      const rewatch = server.requests.filter((r) => r.watch).at(-1);
      expect(rewatch?.query.resourceVersion).toBe(
        server.get('v1', 'Pod', 'ns1', 'one')?.metadata.resourceVersion,
      );
      expect(server.countRequests({ path, watch: false })).toBe(1);
      server.create(pod('ns1', 'two'));
      await waitFor(() => added.length === 2, { what: 'second add' });

      // Abrupt cut: the client's informer reports an error and does not restart by itself.
      server.cutWatches();
      await waitFor(() => errors.length === 1, { what: 'informer error' });
      await new Promise((r) => setTimeout(r, 200));
      expect(server.watchCount(path)).toBe(0);
      await informer.start();
      await server.waitForWatches(1, { path });
      expect(errors).toHaveLength(1);
    } finally {
      await informer.stop();
    }
  });

  it('a cluster-wide watch sees all namespaces through one connection', async () => {
    const w = await openWatch(kc, '/api/v1/pods');
    server.create(pod('ns1', 'p'));
    await core.createNamespacedPod({ namespace: 'ns2', body: pod('ns2', 'q') });
    server.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'not-a-pod', namespace: 'ns1' } });
    await waitFor(() => w.events.length === 2, { what: 'events' });
    expect(w.events.map((e) => `${e.type} ${e.namespace}/${e.name}`)).toEqual(['ADDED ns1/p', 'ADDED ns2/q']);
    expect(w.events[0]?.object.kind).toBe('Pod');
    expect(server.countRequests({ watch: true })).toBe(1);
    expect(server.watches()).toMatchObject([{ path: '/api/v1/pods', plural: 'pods', apiVersion: 'v1' }]);
    w.stop();
    await waitFor(() => server.watchCount() === 0, { what: 'client abort to close the watch' });
  });

  it('sends synthetic ADDED events when no resourceVersion is given', async () => {
    server.create(pod('ns1', 'a'));
    server.create(pod('ns2', 'b'));
    const w = await openWatch(kc, '/api/v1/namespaces/ns1/pods');
    await waitFor(() => w.events.length === 1, { what: 'initial event' });
    expect(w.events[0]).toMatchObject({ type: 'ADDED', name: 'a' });
    w.stop();
  });

  it('applies selectors to watches with real transition semantics', async () => {
    const w = await openWatch(kc, '/api/v1/namespaces/ns1/pods', {
      resourceVersion: server.resourceVersion,
      labelSelector: 'app=web',
    });
    const fieldWatch = await openWatch(kc, '/api/v1/pods', {
      resourceVersion: server.resourceVersion,
      fieldSelector: 'metadata.name=p',
    });
    server.create(pod('ns1', 'p', { app: 'web' }));
    server.create(pod('ns1', 'other', { app: 'db' }));
    server.patch('v1', 'Pod', 'ns1', 'p', { metadata: { labels: { app: 'db' } } });
    const droppedAt = server.resourceVersion;
    server.patch('v1', 'Pod', 'ns1', 'p', { metadata: { annotations: { unseen: 'true' } } });
    server.patch('v1', 'Pod', 'ns1', 'p', { metadata: { labels: { app: 'web' } } });
    server.patch('v1', 'Pod', 'ns1', 'p', { metadata: { annotations: { seen: 'true' } } });
    server.delete('v1', 'Pod', 'ns1', 'p');
    await waitFor(() => w.events.length === 5, { what: 'selector events' });
    expect(w.events.map((e) => e.type)).toEqual(['ADDED', 'DELETED', 'ADDED', 'MODIFIED', 'DELETED']);
    expect(w.events[1]?.rv).toBe(droppedAt);
    expect(w.events[1]?.object.metadata?.labels).toEqual({ app: 'web' });
    await waitFor(() => fieldWatch.events.length === 6, { what: 'field selector events' });
    expect(fieldWatch.events.every((e) => e.name === 'p')).toBe(true);
    w.stop();
    fieldWatch.stop();
  });

  it('sends BOOKMARK events when allowWatchBookmarks=true, and none otherwise', async () => {
    server.create(pod('ns1', 'a'));
    const rv = server.resourceVersion;
    const withBookmarks = await openWatch(kc, '/api/v1/namespaces/ns1/pods', {
      resourceVersion: rv,
      allowWatchBookmarks: true,
    });
    const without = await openWatch(kc, '/api/v1/namespaces/ns1/pods', { resourceVersion: rv });
    await waitFor(() => withBookmarks.events.filter((e) => e.type === 'BOOKMARK').length >= 2, {
      what: 'bookmarks',
    });
    const bookmark = withBookmarks.events.find((e) => e.type === 'BOOKMARK');
    expect(bookmark?.object).toEqual({ kind: 'Pod', apiVersion: 'v1', metadata: { resourceVersion: rv } });
    server.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'bump', namespace: 'ns1' } });
    await waitFor(() => withBookmarks.events.at(-1)?.rv === server.resourceVersion, {
      what: 'bookmark advancing',
    });
    expect(without.events).toEqual([]);
    withBookmarks.stop();
    without.stop();
  });

  it('honours timeoutSeconds by ending the stream cleanly', async () => {
    const started = Date.now();
    const w = await openWatch(kc, '/api/v1/pods', {
      resourceVersion: server.resourceVersion,
      timeoutSeconds: 1,
    });
    await waitFor(() => w.done.called, { what: 'timeout', timeoutMs: 4000 });
    expect(w.done.err).toBeNull();
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it('serves a registered custom resource for discovery, CRUD, list and watch', async () => {
    const def = server.registerResource({
      group: 'example.com',
      version: 'v1',
      kind: 'Widget',
      plural: 'widgets',
      namespaced: true,
    });
    expect(def.apiVersion).toBe('example.com/v1');
    const resources = await (
      await fetch(`${server.url}/apis/example.com/v1`, {
        headers: { authorization: `Bearer ${server.token}` },
      })
    ).json();
    expect(resources).toMatchObject({
      kind: 'APIResourceList',
      groupVersion: 'example.com/v1',
      resources: [{ name: 'widgets', kind: 'Widget', singularName: 'widget', namespaced: true }],
    });

    const custom = kc.makeApiClient(CustomObjectsApi);
    const w = await openWatch(kc, '/apis/example.com/v1/namespaces/default/widgets', {
      resourceVersion: server.resourceVersion,
    });
    const all = await openWatch(kc, '/apis/example.com/v1/widgets', {
      resourceVersion: server.resourceVersion,
    });
    await custom.createNamespacedCustomObject({
      group: 'example.com',
      version: 'v1',
      namespace: 'default',
      plural: 'widgets',
      body: { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w1' }, spec: { size: 3 } },
    });
    server.create({
      apiVersion: 'example.com/v1',
      kind: 'Widget',
      metadata: { name: 'w2', namespace: 'elsewhere' },
    } as never);
    await custom.patchNamespacedCustomObject({
      group: 'example.com',
      version: 'v1',
      namespace: 'default',
      plural: 'widgets',
      name: 'w1',
      body: [{ op: 'replace', path: '/spec/size', value: 4 }],
    });

    const listed = (await custom.listNamespacedCustomObject({
      group: 'example.com',
      version: 'v1',
      namespace: 'default',
      plural: 'widgets',
    })) as {
      kind: string;
      items: Array<{ kind: string; spec: { size: number } }>;
    };
    expect(listed.kind).toBe('WidgetList');
    expect(listed.items).toMatchObject([{ kind: 'Widget', spec: { size: 4 } }]);
    const everywhere = (await custom.listClusterCustomObject({
      group: 'example.com',
      version: 'v1',
      plural: 'widgets',
    })) as { items: unknown[] };
    expect(everywhere.items).toHaveLength(2);

    await waitFor(() => w.events.length === 2 && all.events.length === 3, { what: 'widget events' });
    expect(w.events.map((e) => e.type)).toEqual(['ADDED', 'MODIFIED']);
    expect(w.events[1]?.object).toMatchObject({
      apiVersion: 'example.com/v1',
      kind: 'Widget',
      spec: { size: 4 },
      metadata: { generation: 2 },
    });
    expect(all.events.map((e) => `${e.namespace}/${e.name}`)).toEqual([
      'default/w1',
      'elsewhere/w2',
      'default/w1',
    ]);
    w.stop();
    all.stop();
  });
});
