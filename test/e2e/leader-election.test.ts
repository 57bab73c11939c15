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
  type RecordingSink,
} from '@tributary/testkit';


// Two replicas of a singleton adapter share one Lease: only the leader emits, and a graceful stop
// hands over to the follower without waiting for the lease to expire.
describe('leader election across two heartbeat processes', () => {
  let kube: KubeApiServer;
  let sink: RecordingSink;
  const procs: AdapterProcess[] = [];
  beforeEach(async () => {
    kube = await startKubeApiServer();
    sink = await startRecordingSink();
  });
  afterEach(async () => {
    await Promise.all(procs.splice(0).map((proc) => proc.stop(2_000)));
    await sink.close();
    await kube.close();
  });

  async function replica(pod: string, election: Awaited<ReturnType<typeof leaderElectionEnv>>) {
    const env = await adapterEnv(sink.url, {
      POD_NAME: pod,
      POD_NAMESPACE: 'default',
      NAMESPACE: 'default',
      NAME: 'beats',
      HEARTBEAT_PERIOD: '100ms',
      ...election,
    });
    const proc = startProcess(bundlePath('heartbeat'), env);
    procs.push(proc);
    // A follower is ready too: it serves probes and waits.
    await proc.waitForReady(Number(env.PORT));
    return proc;
  }

  const podOf = (source: unknown) => String(source).split('/').pop();

  it('only the leader beats; after a graceful stop the follower takes over at once', async () => {
    const election = await leaderElectionEnv(kube);
    const first = await replica('hb-a', election);
    await first.waitForLog((line) => line['msg'] === 'became leader');
    const second = await replica('hb-b', election);
    await sink.waitForEvents(5);
    expect(new Set(sink.events.map((e) => podOf(e.attributes['source'])))).toEqual(new Set(['hb-a']));

    expect((await first.stop()).code).toBe(0);
    // Released, not expired: the follower's term starts from a graceful handover.
    const takeover = await second.waitForLog((line) => line['msg'] === 'became leader', 5_000);
    expect(takeover['previous']).toEqual({ graceful: true });
    await waitFor(() => sink.events.some((e) => podOf(e.attributes['source']) === 'hb-b'), { what: 'hb-b beats' });

    // Never two leaders at once: every hb-a beat was received before the first hb-b beat.
    const lastA = Math.max(...sink.events.filter((e) => podOf(e.attributes['source']) === 'hb-a').map((e) => e.receivedAt));
    const firstB = Math.min(...sink.events.filter((e) => podOf(e.attributes['source']) === 'hb-b').map((e) => e.receivedAt));
    expect(lastA).toBeLessThanOrEqual(firstB);
  });
});
