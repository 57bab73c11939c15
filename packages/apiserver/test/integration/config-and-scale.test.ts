import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pod, settle, startHarness, widget, type Harness } from './harness.ts';

const NAMESPACES = Array.from({ length: 50 }, (_, i) => `ns-${i}`);
const PODS_AND_WIDGETS = [
  { gvr: { Group: '', Version: 'v1', Resource: 'pods' } },
  { gvr: { Group: 'example.com', Version: 'v1', Resource: 'widgets' } },
];

describe('bad K_SOURCE_CONFIG', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  it.each([
    ['invalid JSON', '{"namespaces": ["team-a"], "resources": [', /K_SOURCE_CONFIG: is not valid JSON/],
    [
      'an unknown mode',
      { namespaces: ['team-a'], resources: [{ apiVersion: 'v1', kind: 'Pod' }], mode: 'Everything' },
      /K_SOURCE_CONFIG: .*"Reference"\|"Resource" at mode/,
    ],
    [
      'a resource without kind or gvr',
      { namespaces: ['team-a'], resources: [{ apiVersion: 'v1' }] },
      /K_SOURCE_CONFIG: needs either "gvr" or both "apiVersion" and "kind" at resources\.0/,
    ],
  ])('exits 78 before doing anything, naming it, for %s', async (_what, sourceConfig, message) => {
    const adapter = await h.start(sourceConfig, {}, { ready: false });
    expect((await adapter.proc.exited).code).toBe(78);
    expect(adapter.proc.stderr()).toMatch(message);
    expect(h.server.requests).toHaveLength(0);
  });

  it.each([
    [
      'an unknown kind',
      { apiVersion: 'example.com/v1', kind: 'Gizmo' },
      /resources\[1\]: unknown kind example\.com\/v1 Gizmo/,
    ],
    [
      'an unknown gvr',
      { gvr: { Group: 'example.com', Version: 'v1', Resource: 'gizmos' } },
      /resources\[1\]: unknown kind example\.com\/v1 gizmos/,
    ],
    [
      'an API group the server does not serve',
      { apiVersion: 'nope.example.com/v1', kind: 'Gizmo' },
      /resources\[1\]: the API server does not serve nope\.example\.com\/v1/,
    ],
  ])('exits non-zero naming %s, found through discovery', async (_what, resource, message) => {
    const adapter = await h.start(
      { namespaces: ['team-a'], resources: [{ apiVersion: 'v1', kind: 'Pod' }, resource] },
      {},
      { ready: false },
    );
    expect((await adapter.proc.exited).code).toBe(1);
    const failure = adapter.proc.logs.find((line) => line['msg'] === 'adapter failed') as
      { err?: { message?: string } } | undefined;
    expect(failure?.err?.message).toMatch(message);
    expect(h.server.countRequests({ watch: true })).toBe(0);
  });
});

describe('scale: many namespaces', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness(NAMESPACES);
  });
  afterEach(async () => {
    await h.close();
  });

  it('opens one cluster-wide watch per resource for 50 namespaces and filters to them', async () => {
    const adapter = await h.start({ namespaces: NAMESPACES, resources: PODS_AND_WIDGETS, mode: 'Reference' });
    expect(h.server.countRequests({ watch: true })).toBe(2);
    expect(
      h.server
        .watches()
        .map((w) => w.path)
        .sort(),
    ).toEqual(['/api/v1/pods', '/apis/example.com/v1/widgets']);

    h.server.create(pod('ns-7', 'inside'));
    h.server.create(pod('default', 'outside'));
    h.server.create(widget('ns-49', 'inside-widget'));
    h.server.create(widget('team-a', 'outside-widget'));
    await h.sink.waitForEvents(2);
    const events = await settle(h, adapter, 'ns-0');
    expect(events.map((e) => `${e.attributes['namespace']}/${e.attributes['name']}`).sort()).toEqual([
      'ns-49/inside-widget',
      'ns-7/inside',
    ]);
  });

  it('watches each namespace while there are no more than APISERVER_NAMESPACE_WATCH_LIMIT', async () => {
    await h.start(
      { namespaces: NAMESPACES.slice(0, 3), resources: PODS_AND_WIDGETS },
      { APISERVER_NAMESPACE_WATCH_LIMIT: '3' },
    );
    expect(
      h.server
        .watches()
        .map((w) => w.path)
        .sort(),
    ).toEqual([
      '/api/v1/namespaces/ns-0/pods',
      '/api/v1/namespaces/ns-1/pods',
      '/api/v1/namespaces/ns-2/pods',
      '/apis/example.com/v1/namespaces/ns-0/widgets',
      '/apis/example.com/v1/namespaces/ns-1/widgets',
      '/apis/example.com/v1/namespaces/ns-2/widgets',
    ]);
  });

  it('falls back to a watch per namespace when the cluster-wide list is forbidden', async () => {
    h.server.failNext(1, 403, { path: '/api/v1/pods', watch: false });
    const adapter = await h.start({ namespaces: NAMESPACES.slice(0, 12), resources: [PODS_AND_WIDGETS[0]] });
    expect(h.server.watches().map((w) => w.path)).toHaveLength(12);
    expect(h.server.watches().every((w) => /^\/api\/v1\/namespaces\/ns-\d+\/pods$/.test(w.path))).toBe(true);
    h.server.create(pod('ns-11', 'after-fallback'));
    await h.sink.waitForEvents(1);
    expect(h.sink.events[0]?.attributes['subject']).toBe('/apis/v1/namespaces/ns-11/pods/after-fallback');
    expect(
      adapter.proc.logs.some(
        (line) => line['msg'] === 'cluster-wide list forbidden: watching each namespace instead',
      ),
    ).toBe(true);
  });

  it('gives cluster-scoped objects Knative’s subject with an empty namespace', async () => {
    const adapter = await h.start({
      allNamespaces: true,
      resources: [{ apiVersion: 'v1', kind: 'Namespace' }],
      mode: 'Reference',
    });
    expect(h.server.watches().map((w) => w.path)).toEqual(['/api/v1/namespaces']);
    h.server.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'fresh' } });
    const [event] = await h.sink.waitForEvents(1);
    expect(event?.attributes).toMatchObject({
      type: 'dev.knative.apiserver.ref.add',
      subject: '/apis/v1/namespaces//namespaces/fresh',
      kind: 'Namespace',
      apiversion: 'v1',
      name: 'fresh',
      namespace: '',
    });
    expect(event?.text()).toBe('{"kind":"Namespace","name":"fresh","apiVersion":"v1"}');
    await adapter.proc.stop();
  });
});
