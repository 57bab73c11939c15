import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  adapterEnv,
  bundlePath,
  leaderElectionEnv,
  startKubeApiServer,
  startProcess,
  startRecordingSink,
  waitFor,
  type AdapterProcess,
  type KubeApiServer,
  type KubeObject,
  type ReceivedEvent,
  type RecordingSink,
} from '@tributary/testkit';

// Two apiserver replicas share a Lease; pods change every 50 ms while the leader is stopped
// (gracefully, then by a crash) and the follower takes over. The sink must hold every change
// once, in order per pod — except, after a crash, the changes nobody was watching for.

const PODS = '/api/v1/namespaces/default/pods';
const SOURCE = { namespaces: ['default'], resources: [{ apiVersion: 'v1', kind: 'Pod' }], mode: 'Resource' };
const PACE_MS = 50;

interface Change {
  readonly key: string;
  readonly name: string;
  readonly rv: number;
  readonly at: number;
}

/** Adds, updates twice and deletes five pods in turn, one change per call; remembers each change. */
class PodChanges {
  readonly made: Change[] = [];
  readonly #updates = new Map<string, number>();
  readonly #kube: KubeApiServer;

  constructor(kube: KubeApiServer) {
    this.#kube = kube;
  }

  next(): void {
    const seq = this.made.length;
    const name = `pod-${seq % 5}`;
    const updates = this.#updates.get(name);
    let type: string;
    let object: KubeObject;
    if (updates === undefined) {
      type = 'add';
      object = this.#kube.create({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name, labels: { seq: String(seq) } },
      });
      this.#updates.set(name, 0);
    } else if (updates < 2) {
      type = 'update';
      object = this.#kube.patch('v1', 'Pod', 'default', name, { metadata: { labels: { seq: String(seq) } } });
      this.#updates.set(name, updates + 1);
    } else {
      type = 'delete';
      object = this.#kube.delete('v1', 'Pod', 'default', name);
      this.#updates.delete(name);
    }
    const rv = Number(object.metadata?.resourceVersion);
    this.made.push({ key: `${type} ${name}@${rv}`, name, rv, at: Date.now() });
  }

  /** One change every PACE_MS until `done()`, checked before each change. */
  async drive(done: () => boolean): Promise<void> {
    while (!done()) {
      this.next();
      await sleep(PACE_MS);
    }
  }
}

const keyOf = (event: ReceivedEvent) => {
  const type = String(event.attributes['type']).split('.').pop();
  const rv = event.json<KubeObject>().metadata?.resourceVersion;
  return `${type} ${String(event.attributes['name'])}@${rv}`;
};

/** Each pod's changes reached the sink in the order they were made. */
function expectInOrderPerPod(events: readonly ReceivedEvent[]): void {
  const last = new Map<string, number>();
  for (const event of events) {
    const name = String(event.attributes['name']);
    const rv = Number(event.json<KubeObject>().metadata?.resourceVersion);
    expect(rv, `${name} out of order`).toBeGreaterThan(last.get(name) ?? 0);
    last.set(name, rv);
  }
}

const count = <T>(items: readonly T[]) => {
  const counts = new Map<T, number>();
  for (const item of items) counts.set(item, (counts.get(item) ?? 0) + 1);
  return counts;
};

describe('apiserver high availability: two replicas, one Lease', () => {
  let kube: KubeApiServer;
  let sink: RecordingSink;
  let election: Awaited<ReturnType<typeof leaderElectionEnv>>;
  const procs: AdapterProcess[] = [];
  beforeEach(async () => {
    kube = await startKubeApiServer({ bookmarkIntervalMs: 200 });
    sink = await startRecordingSink();
    election = await leaderElectionEnv(kube);
  });
  afterEach(async () => {
    await Promise.all(procs.splice(0).map((proc) => proc.stop(2_000)));
    await sink.close();
    await kube.close();
  });

  async function replica(pod: string): Promise<AdapterProcess> {
    const env = await adapterEnv(sink.url, {
      POD_NAME: pod,
      NAMESPACE: 'default',
      NAME: 'pods',
      ...election,
      K_SOURCE_CONFIG: JSON.stringify(SOURCE),
      APISERVER_BACKOFF_MAX: '300ms',
    });
    const proc = startProcess(bundlePath('apiserver'), env);
    procs.push(proc);
    await proc.waitForReady(Number(env.PORT));
    return proc;
  }

  /** The first replica leads and watches; the second follows. */
  async function leaderAndFollower(): Promise<[AdapterProcess, AdapterProcess]> {
    const leader = await replica('apiserver-a');
    await leader.waitForLog((line) => line['msg'] === 'became leader');
    await kube.waitForWatches(1, { path: PODS });
    return [leader, await replica('apiserver-b')];
  }

  /** The new leader's first watch after `since`: its resourceVersion is where it started reading. */
  const watchSince = (since: number) =>
    kube.requests.find((r) => r.path === PODS && r.watch && r.time > since);

  it('graceful stop: the follower resumes where the leader stopped delivering; every change once, in order', async () => {
    const [a, b] = await leaderAndFollower();
    const changes = new PodChanges(kube);
    await changes.drive(() => changes.made.length === 25);

    // SIGTERM mid-stream. The follower's first two exact lists fail (503, retried), so the
    // changes made until it lists are certainly ones only the watch from the note can bring.
    kube.failNext(2, 503, { path: PODS, watch: false });
    const stopped = Date.now();
    const aExit = a.stop();
    await changes.drive(() => watchSince(stopped) !== undefined);
    const extra = changes.made.length + 15;
    await changes.drive(() => changes.made.length === extra);
    expect((await aExit).code).toBe(0);

    const takeover = await b.waitForLog((line) => line['msg'] === 'became leader');
    expect(takeover['previous']).toMatchObject({ graceful: true });
    // The version in the note: where the follower listed and started watching.
    const resumed = await b.waitForLog((line) =>
      String(line['msg']).startsWith('resuming from the handover'),
    );
    const handedOver = Number(resumed['resourceVersion']);

    const made = changes.made.map((c) => c.key);
    await waitFor(() => made.every((key) => sink.events.some((e) => keyOf(e) === key)), {
      timeoutMs: 15_000,
      what: 'every change at the sink',
    });
    // Everything read has been delivered: nothing still on its way could add a duplicate.
    await b.stop();
    const received = sink.events.map(keyOf);
    expect([...count(received)].filter(([, n]) => n > 1)).toEqual([]);
    expect(received.sort()).toEqual([...made].sort());
    expectInOrderPerPod(sink.events);

    // The leader delivered up to the note's version, the follower everything after it...
    const tookOver = Date.parse(String(takeover['time']));
    for (const event of sink.events) {
      const rv = Number(event.json<KubeObject>().metadata?.resourceVersion);
      if (rv <= handedOver) expect(event.receivedAt).toBeLessThanOrEqual(tookOver);
      else expect(event.receivedAt).toBeGreaterThanOrEqual(tookOver);
    }
    // ...including changes made after the leader stopped reading and before the follower listed.
    const exactList = kube.requests.find(
      (r) => r.path === PODS && r.query['resourceVersionMatch'] === 'Exact' && r.status === 200,
    );
    expect(exactList?.query['resourceVersion']).toBe(String(handedOver));
    expect(changes.made.some((c) => c.rv > handedOver && c.at < (exactList?.time ?? 0))).toBe(true);
  });

  it('crash: the follower takes over after the lease expires; the changes made meanwhile are not announced, none twice', async () => {
    const [a, b] = await leaderAndFollower();
    const changes = new PodChanges(kube);
    await changes.drive(() => changes.made.length === 20);
    const delivered = changes.made.map((c) => c.key);
    await waitFor(() => delivered.every((key) => sink.events.some((e) => keyOf(e) === key)), {
      what: 'the leader caught up',
    });
    a.signal('SIGKILL');
    await a.exited;
    const killed = Date.now();
    // Before the follower can take over (a whole lease duration after the last renewal it saw).
    changes.next();
    await changes.drive(() => watchSince(killed) !== undefined);
    const extra = changes.made.length + 15;
    await changes.drive(() => changes.made.length === extra);

    const takeover = await b.waitForLog((line) => line['msg'] === 'became leader');
    expect(takeover['previous']).toEqual({ graceful: false });
    // The follower listed the current state (announcing nothing) and watches from there.
    const listedAt = Number(watchSince(killed)?.query['resourceVersion']);
    const live = changes.made.filter((c) => c.rv > listedAt).map((c) => c.key);
    await waitFor(() => live.every((key) => sink.events.some((e) => keyOf(e) === key)), {
      timeoutMs: 15_000,
      what: 'every change after the new leader listed',
    });
    await b.stop();

    const received = sink.events.map(keyOf);
    expect([...count(received)].filter(([, n]) => n > 1)).toEqual([]);
    expect(received.sort()).toEqual([...delivered, ...live].sort());
    expectInOrderPerPod(sink.events);
    // Documented loss: the changes between the crash and the new leader's list.
    const lost = changes.made.slice(delivered.length).filter((c) => c.rv <= listedAt);
    expect(lost.length).toBeGreaterThan(0);
  });
});
