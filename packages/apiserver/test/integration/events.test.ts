import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { waitFor, type KubeObject, type ReceivedEvent } from '@tributary/testkit';
import { about, pod, settle, startHarness, widget, type Harness } from './harness.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const config = (mode: 'Resource' | 'Reference') => ({
  namespaces: ['team-a', 'team-b'],
  allNamespaces: false,
  // As Knative's controller writes it (gvr + selector string), and as the spec says it ({apiVersion, kind}).
  resources: [
    { gvr: { Group: '', Version: 'v1', Resource: 'pods' }, selector: 'app=web' },
    { apiVersion: 'example.com/v1', kind: 'Widget' },
  ],
  mode,
});

describe.each(['Resource', 'Reference'] as const)(
  '%s mode: pods and a custom resource in two namespaces',
  (mode) => {
    let h: Harness;
    beforeEach(async () => {
      h = await startHarness();
    });
    afterEach(async () => {
      await h.close();
    });

    it('announces create, update and delete with Knative attributes, honouring the label selector', async () => {
      const adapter = await h.start(config(mode));
      const { server } = h;
      const web1 = server.create(pod('team-a', 'web-1', { app: 'web' }));
      server.create(pod('team-a', 'db-1', { app: 'db' })); // not selected by app=web
      server.create(pod('default', 'web-x', { app: 'web' })); // namespace not watched
      const web2 = server.create(pod('team-b', 'web-2', { app: 'web' }));
      const w1 = server.create(widget('team-b', 'w1'));
      const web1v2 = server.patch('v1', 'Pod', 'team-a', 'web-1', {
        metadata: { labels: { app: 'web', version: '2' } },
      });
      const w1v2 = server.patch('example.com/v1', 'Widget', 'team-b', 'w1', { spec: { size: 2 } });
      const web1gone = server.delete('v1', 'Pod', 'team-a', 'web-1');
      const w1gone = server.delete('example.com/v1', 'Widget', 'team-b', 'w1');
      await h.sink.waitForEvents(7);

      const events = await settle(h, adapter, 'team-a');
      expect(events).toHaveLength(7);
      const prefix = mode === 'Resource' ? 'dev.knative.apiserver.resource' : 'dev.knative.apiserver.ref';
      const web1Events = about(events, '/apis/v1/namespaces/team-a/pods/web-1');
      expect(web1Events.map((e) => e.attributes['type'])).toEqual([
        `${prefix}.add`,
        `${prefix}.update`,
        `${prefix}.delete`,
      ]);
      expect(about(events, '/apis/v1/namespaces/team-b/pods/web-2').map((e) => e.attributes['type'])).toEqual(
        [`${prefix}.add`],
      );
      const widgetEvents = about(events, '/apis/example.com/v1/namespaces/team-b/widgets/w1');
      expect(widgetEvents.map((e) => e.attributes['type'])).toEqual([
        `${prefix}.add`,
        `${prefix}.update`,
        `${prefix}.delete`,
      ]);

      for (const event of events) {
        const { id, time, ...rest } = event.attributes;
        expect(id).toMatch(UUID);
        expect(new Date(time as string).toISOString()).toBe(time);
        expect(rest).toMatchObject({
          specversion: '1.0',
          source: server.url,
          datacontenttype: 'application/json',
        });
      }
      expect(web1Events[0]?.attributes).toMatchObject({
        kind: 'Pod',
        apiversion: 'v1',
        name: 'web-1',
        namespace: 'team-a',
      });
      expect(widgetEvents[0]?.attributes).toMatchObject({
        kind: 'Widget',
        apiversion: 'example.com/v1',
        name: 'w1',
        namespace: 'team-b',
      });
      expect(new Set(events.map((e) => e.attributes['id'])).size).toBe(7);

      const data = (e: ReceivedEvent | undefined) => e?.json();
      if (mode === 'Resource') {
        // The object itself: the new state on update, the last state on delete.
        expect(data(web1Events[0])).toEqual(web1);
        expect(data(web1Events[1])).toEqual(web1v2);
        expect(data(web1Events[2])).toEqual(web1gone);
        expect(data(about(events, '/apis/v1/namespaces/team-b/pods/web-2')[0])).toEqual(web2);
        expect(data(widgetEvents[0])).toEqual(w1);
        expect(data(widgetEvents[1])).toEqual(w1v2);
        expect(data(widgetEvents[2])).toEqual(w1gone);
      } else {
        for (const e of web1Events)
          expect(e.text()).toBe('{"kind":"Pod","namespace":"team-a","name":"web-1","apiVersion":"v1"}');
        for (const e of widgetEvents)
          expect(data(e)).toEqual({
            kind: 'Widget',
            namespace: 'team-b',
            name: 'w1',
            apiVersion: 'example.com/v1',
          });
      }
    });
  },
);

describe('owner filter and startup', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  const owned = (kind: string, controller: boolean): Partial<KubeObject> => ({
    metadata: {
      ownerReferences: [
        {
          apiVersion: 'apps/v1',
          kind,
          name: 'rs-1',
          uid: '6b0a4f3e-0000-4000-8000-000000000001',
          controller,
        },
      ],
    },
  });
  const withOwner = (name: string, owner: Partial<KubeObject>) => {
    const base = pod('team-a', name, { app: 'web' });
    return { ...base, metadata: { ...base.metadata, ...owner.metadata } } as KubeObject;
  };

  it('keeps only objects whose controller ownerReference matches the owner', async () => {
    const adapter = await h.start({
      namespaces: ['team-a'],
      resources: [{ apiVersion: 'v1', kind: 'Pod' }],
      owner: { apiVersion: 'apps/v1', kind: 'ReplicaSet' },
      mode: 'Reference',
    });
    h.server.create(withOwner('by-rs', owned('ReplicaSet', true)));
    h.server.create(withOwner('rs-not-controller', owned('ReplicaSet', false)));
    h.server.create(withOwner('by-statefulset', owned('StatefulSet', true)));
    h.server.create(pod('team-a', 'orphan', { app: 'web' }));
    h.server.delete('v1', 'Pod', 'team-a', 'by-rs');
    // The sentinel must pass the filter too.
    h.server.create(withOwner('sentinel-owned', owned('ReplicaSet', true)));
    await h.sink.waitForEvents(3);
    await settleQueue(adapter);
    // Different objects are delivered in parallel: compare per object.
    expect(h.sink.events).toHaveLength(3);
    expect(
      about(h.sink.events, '/apis/v1/namespaces/team-a/pods/by-rs').map((e) => e.attributes['type']),
    ).toEqual(['dev.knative.apiserver.ref.add', 'dev.knative.apiserver.ref.delete']);
    expect(
      about(h.sink.events, '/apis/v1/namespaces/team-a/pods/sentinel-owned').map((e) => e.attributes['type']),
    ).toEqual(['dev.knative.apiserver.ref.add']);
  });

  it('does not announce objects that exist at start, unless APISERVER_SEND_INITIAL=true', async () => {
    h.server.create(pod('team-a', 'before', { app: 'web' }));
    const quiet = await h.start({
      namespaces: ['team-a'],
      resources: [{ apiVersion: 'v1', kind: 'Pod' }],
      mode: 'Reference',
    });
    expect(await settle(h, quiet, 'team-a')).toEqual([]);
    await quiet.proc.stop();

    h.sink.reset();
    const loud = await h.start(
      { namespaces: ['team-a'], resources: [{ apiVersion: 'v1', kind: 'Pod' }], mode: 'Reference' },
      { APISERVER_SEND_INITIAL: 'true' },
    );
    await h.sink.waitForEvents(2);
    await settleQueue(loud);
    const names = h.sink.events.map((e) => `${e.attributes['type']} ${e.attributes['name']}`).sort();
    expect(names).toEqual([
      'dev.knative.apiserver.ref.add before',
      expect.stringMatching(/^dev\.knative\.apiserver\.ref\.add sentinel-/),
    ]);
    expect(
      await loud.metric('tributary_apiserver_events_total', {
        type: 'dev.knative.apiserver.ref.add',
        origin: 'initial',
      }),
    ).toBe(2);
  });
});

async function settleQueue(adapter: { metric(name: string): Promise<number> }): Promise<void> {
  await waitFor(async () => (await adapter.metric('tributary_apiserver_queue_depth')) === 0, {
    what: 'an empty queue',
  });
}
