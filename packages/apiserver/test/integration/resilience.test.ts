import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { waitFor } from '@tributary/testkit';
import { about, pod, settle, startHarness, type Harness } from './harness.ts';

const PODS_IN_TEAM_A = {
  namespaces: ['team-a'],
  resources: [{ apiVersion: 'v1', kind: 'Pod' }],
  mode: 'Resource',
};
const PODS_PATH = '/api/v1/namespaces/team-a/pods';

describe('watch resilience', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  it('after 410 Gone, relists and announces the add, update and delete of the gap, each once', async () => {
    const { server } = h;
    server.create(pod('team-a', 'unchanged'));
    server.create(pod('team-a', 'changed'));
    const removedAsKnown = server.create(pod('team-a', 'removed'));
    const adapter = await h.start(PODS_IN_TEAM_A);

    // The watch is cut, the objects change, and the history is compacted before it comes back.
    server.pause('refuse');
    await waitFor(async () => (await adapter.readyz()).status === 503, {
      what: 'not ready while the watch is down',
    });
    const changed = server.patch('v1', 'Pod', 'team-a', 'changed', {
      metadata: { labels: { version: '2' } },
    });
    server.delete('v1', 'Pod', 'team-a', 'removed');
    const added = server.create(pod('team-a', 'added'));
    server.compact();
    server.resume();

    await h.sink.waitForEvents(3);
    await adapter.proc.waitForReady(Number(adapter.env.PORT));
    const events = await settle(h, adapter, 'team-a');
    expect(events.map((e) => `${e.attributes['type']} ${e.attributes['name']}`).sort()).toEqual([
      'dev.knative.apiserver.resource.add added',
      'dev.knative.apiserver.resource.delete removed',
      'dev.knative.apiserver.resource.update changed',
    ]);
    expect(about(events, '/apis/v1/namespaces/team-a/pods/changed')[0]?.json()).toEqual(changed);
    expect(about(events, '/apis/v1/namespaces/team-a/pods/added')[0]?.json()).toEqual(added);
    // A delete found by the relist carries the last state the adapter knew.
    expect(about(events, '/apis/v1/namespaces/team-a/pods/removed')[0]?.json()).toEqual(removedAsKnown);
    expect(server.countRequests({ path: PODS_PATH, watch: false })).toBe(2);
    expect(await adapter.metric('tributary_apiserver_relists_total', { reason: 'expired' })).toBe(1);
    expect(
      await adapter.metric('tributary_apiserver_events_total', {
        type: 'dev.knative.apiserver.resource.delete',
        origin: 'relist',
      }),
    ).toBe(1);
  });

  it('resumes a cut watch from the last version seen, without a relist or duplicates', async () => {
    const adapter = await h.start(PODS_IN_TEAM_A);
    h.server.create(pod('team-a', 'before-cut'));
    await h.sink.waitForEvents(1);
    h.server.cutWatches();
    h.server.create(pod('team-a', 'after-cut'));
    const events = await settle(h, adapter, 'team-a');
    expect(events.map((e) => e.attributes['name']).sort()).toEqual(['after-cut', 'before-cut']);
    expect(h.server.countRequests({ path: PODS_PATH, watch: false })).toBe(1);
    expect(h.server.countRequests({ path: PODS_PATH, watch: true })).toBeGreaterThanOrEqual(2);
  });

  it('is not ready before the first sync, nor while a watch is down', async () => {
    h.server.pause('hang');
    const adapter = await h.start(PODS_IN_TEAM_A, {}, { ready: false });
    await waitFor(
      async () =>
        (await fetch(`http://127.0.0.1:${adapter.env.PORT}/healthz`).catch(() => undefined))?.status === 200,
      { what: 'liveness' },
    );
    expect(await adapter.readyz()).toEqual({
      status: 503,
      body: { ready: false, reasons: ['discovering API resources'] },
    });

    h.server.resume();
    await adapter.proc.waitForReady(Number(adapter.env.PORT));
    h.server.pause('refuse');
    await waitFor(async () => (await adapter.readyz()).status === 503, { what: 'not ready' });
    expect((await adapter.readyz()).body.reasons[0]).toMatch(/^v1\/pods in team-a: watch down/);
    h.server.resume();
    await adapter.proc.waitForReady(Number(adapter.env.PORT));
  });
});

describe('sink failures', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  it('tries a failed event again later, keeping the object’s order, and drops one the sink rejects', async () => {
    const adapter = await h.start(PODS_IN_TEAM_A, { K_SINK_RETRY: '1' });
    h.sink.faults.alwaysFail(503);
    const created = h.server.create(pod('team-a', 'flaky'));
    const updated = h.server.patch('v1', 'Pod', 'team-a', 'flaky', {
      metadata: { labels: { version: '2' } },
    });
    await waitFor(async () => (await adapter.metric('tributary_apiserver_redeliveries_total')) >= 2, {
      what: 'redeliveries',
    });
    h.sink.faults.alwaysFail(undefined);
    const events = await h.sink.waitForEvents(2);
    expect(
      events.map((e) => e.json<{ metadata: { resourceVersion: string } }>().metadata.resourceVersion),
    ).toEqual([created.metadata.resourceVersion, updated.metadata.resourceVersion]);

    h.sink.faults.failNext(1, 400);
    h.server.create(pod('team-a', 'rejected'));
    await waitFor(
      async () =>
        (await adapter.metric('tributary_apiserver_events_dropped_total', { reason: 'rejected' })) === 1,
      { what: 'a dropped event' },
    );
    h.server.create(pod('team-a', 'after'));
    const [, , third] = await h.sink.waitForEvents(3);
    expect(third?.attributes['name']).toBe('after');
  });
});

describe('slow sink (200 ms a delivery)', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  /** 4 pods × (add + 4 updates): 20 events, each pod's in a known order. */
  async function churn(): Promise<Map<string, string[]>> {
    const expected = new Map<string, string[]>();
    for (let i = 0; i < 4; i++) {
      const created = h.server.create(pod('team-a', `p${i}`));
      expected.set(`p${i}`, [created.metadata.resourceVersion]);
    }
    for (let round = 1; round <= 4; round++) {
      for (let i = 0; i < 4; i++) {
        const updated = h.server.patch('v1', 'Pod', 'team-a', `p${i}`, {
          metadata: { labels: { round: String(round) } },
        });
        expected.get(`p${i}`)?.push(updated.metadata.resourceVersion);
      }
    }
    return expected;
  }

  async function expectInOrder(expected: Map<string, string[]>): Promise<void> {
    const events = await h.sink.waitForEvents(20);
    expect(events).toHaveLength(20);
    for (const [name, versions] of expected) {
      const seen = about(events, `/apis/v1/namespaces/team-a/pods/${name}`).map(
        (e) => e.json<{ metadata: { resourceVersion: string } }>().metadata.resourceVersion,
      );
      expect(seen).toEqual(versions);
    }
    // One list and one watch the whole time: the slow sink never cost the watch.
    expect(h.server.watchCount(PODS_PATH)).toBe(1);
    expect(h.server.countRequests({ path: PODS_PATH, watch: true })).toBe(1);
    expect(h.server.countRequests({ path: PODS_PATH, watch: false })).toBe(1);
  }

  it('keeps reading the watch into the queue while deliveries lag, then delivers in order per object', async () => {
    const adapter = await h.start(PODS_IN_TEAM_A);
    h.sink.faults.delay(200);
    const expected = await churn();
    // All 20 changes were read off the watch although the sink has taken only a few.
    await waitFor(
      async () =>
        (await adapter.metric('tributary_apiserver_events_total', {
          type: 'dev.knative.apiserver.resource.update',
          origin: 'watch',
        })) === 16,
      { what: 'all updates read' },
    );
    expect(await adapter.metric('tributary_apiserver_queue_depth_peak')).toBeGreaterThan(4);
    h.sink.faults.delay(0);
    await expectInOrder(expected);
    expect(await adapter.metric('tributary_apiserver_backpressure_pauses_total')).toBe(0);
  });

  it('with a full queue, pauses reading the watch instead of dropping, and delivers everything in order', async () => {
    const adapter = await h.start(PODS_IN_TEAM_A, { APISERVER_QUEUE_SIZE: '3' });
    h.sink.faults.delay(200);
    const expected = await churn();
    await waitFor(async () => (await adapter.metric('tributary_apiserver_backpressure_pauses_total')) > 0, {
      what: 'backpressure',
    });
    expect(await adapter.metric('tributary_apiserver_queue_depth_peak')).toBe(3);
    h.sink.faults.delay(0);
    await expectInOrder(expected);
    expect(await adapter.metric('tributary_apiserver_events_dropped_total', { reason: 'rejected' })).toBe(0);
  });
});
