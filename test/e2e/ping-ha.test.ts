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
  TEST_LEASE_MS,
} from '@tributary/testkit';


// The scenario: two ping replicas share a Lease and an every-second schedule; the leader is
// stopped gracefully, later the new leader is killed. Every scheduled tick reaches the sink once,
// except the ticks of at most one lease duration after the kill; no tick ever arrives twice.
describe('ping across leader handovers', () => {
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
      NAMESPACE: 'default',
      NAME: 'every-second',
      POD_NAME: pod,
      PING_SCHEDULE: '* * * * * *',
      PING_DATA: pod,
      ...election,
    });
    const proc = startProcess(bundlePath('ping'), env);
    procs.push(proc);
    await proc.waitForReady(Number(env.PORT));
    return proc;
  }

  const ticks = () => sink.events.map((event) => Date.parse(String(event.attributes['time'])));

  it('graceful stop: no tick lost or doubled; crash: only ticks within one lease duration lost, none doubled', async () => {
    const election = await leaderElectionEnv(kube);
    const a = await replica('ping-a', election);
    await a.waitForLog((line) => line['msg'] === 'became leader');
    const b = await replica('ping-b', election);
    await waitFor(() => sink.events.length >= 6, { timeoutMs: 15_000, what: '6 ticks from the first leader' });

    // Graceful: A hands over to B with the instant it stopped at; B replays what fell in between.
    // The API server is held for 2.5 s after A released, so at least two ticks fall in the gap.
    expect((await a.stop()).code).toBe(0);
    kube.pause('hang');
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    kube.resume();
    await b.waitForLog((line) => line['msg'] === 'became leader', 5_000);
    const replay = await b.waitForLog((line) => String(line['msg']).startsWith('took over: replayed'));
    expect(replay['replayed']).toBeGreaterThanOrEqual(2);
    await waitFor(() => sink.events.filter((e) => e.text() === 'ping-b').length >= 4, { timeoutMs: 15_000, what: 'B ticking' });
    const c = await replica('ping-c', election);

    // Crash: B dies without releasing; C waits for the lease to expire and replays nothing.
    b.signal('SIGKILL');
    const killedAt = Date.now();
    await c.waitForLog((line) => line['msg'] === 'became leader', 10_000);
    await waitFor(() => sink.events.filter((e) => e.text() === 'ping-c').length >= 4, { timeoutMs: 15_000, what: 'C ticking' });
    await c.stop();

    const times = ticks();
    // Never two events for one tick.
    expect(new Set(times).size).toBe(times.length);
    // Every second from the first to the last tick is there, except a gap around the kill.
    const sorted = [...times].sort((x, y) => x - y);
    const missing: number[] = [];
    for (let at = sorted[0]!; at <= sorted.at(-1)!; at += 1000) if (!times.includes(at)) missing.push(at);
    for (const at of missing) {
      expect(at, `tick ${new Date(at).toISOString()} missing outside the crash window`).toBeGreaterThan(killedAt - 1000);
      expect(at).toBeLessThanOrEqual(killedAt + TEST_LEASE_MS + 1000);
    }
    // The graceful handover lost nothing: the ticks of A and B meet without a gap.
    const lastA = Math.max(...sink.events.filter((e) => e.text() === 'ping-a').map((e) => Date.parse(String(e.attributes['time']))));
    const firstB = Math.min(...sink.events.filter((e) => e.text() === 'ping-b').map((e) => Date.parse(String(e.attributes['time']))));
    expect(firstB - lastA).toBe(1000);
  });
});
