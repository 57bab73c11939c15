import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startKubeApiServer, startProcess, waitFor, type AdapterProcess, type KubeApiServer } from '@tributary/testkit';
import type { LeaderTerm } from '@tributary/core';
import { HANDOVER_ANNOTATION, LeaseElector, type LeaderElectionConfig } from '../src/index.ts';

const FIXTURE = new URL('./fixtures/elector-process.ts', import.meta.url).pathname;
const timing = { leaseDurationMs: 1500, renewDeadlineMs: 1000, retryPeriodMs: 200 };

/** Runs an elector in-process and records its terms, so tests can check terms never overlap. */
function replica(server: KubeApiServer, identity: string, log: Array<{ who: string; from: number; to?: number; previous: LeaderTerm['previous'] }>) {
  const config: LeaderElectionConfig = { leaseName: 'lock', leaseNamespace: 'default', identity, ...timing };
  const elector = new LeaseElector(config, server.kubeConfig());
  const shutdown = new AbortController();
  const done = elector.run(async (term) => {
    const entry: { who: string; from: number; to?: number; previous: LeaderTerm['previous'] } = { who: identity, from: Date.now(), previous: term.previous };
    log.push(entry);
    term.setHandoverNote(`last tick from ${identity}`);
    await new Promise((resolve) => term.signal.addEventListener('abort', resolve, { once: true }));
    entry.to = Date.now();
  }, shutdown.signal);
  return { elector, stop: async () => { shutdown.abort(); await done; } };
}

function assertNoOverlap(log: ReadonlyArray<{ who: string; from: number; to?: number }>) {
  const sorted = [...log].sort((a, b) => a.from - b.from);
  for (let i = 1; i < sorted.length; i++) {
    const before = sorted[i - 1]!;
    expect(before.to, `${before.who}'s term must end before ${sorted[i]!.who}'s starts`).toBeDefined();
    expect(before.to!).toBeLessThanOrEqual(sorted[i]!.from);
  }
}

describe('LeaseElector against the Kubernetes API test server', () => {
  let server: KubeApiServer;
  const procs: AdapterProcess[] = [];
  beforeEach(async () => {
    server = await startKubeApiServer();
  });
  afterEach(async () => {
    for (const proc of procs.splice(0)) proc.signal('SIGKILL');
    await server.close();
  });

  it('one leader at a time; a graceful stop hands over at once with the note, not after expiry', async () => {
    const log: Parameters<typeof replica>[2] = [];
    const a = replica(server, 'a', log);
    await waitFor(() => a.elector.isLeader, { what: 'a to lead' });
    const b = replica(server, 'b', log);
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(b.elector.isLeader).toBe(false);
    await a.stop();
    const lease = server.get<{ spec: { holderIdentity?: string }; metadata: { annotations?: Record<string, string> } }>('coordination.k8s.io/v1', 'Lease', 'default', 'lock');
    expect(lease?.spec.holderIdentity ?? '').toBe('');
    expect(lease?.metadata.annotations?.[HANDOVER_ANNOTATION]).toBe('last tick from a');
    await waitFor(() => b.elector.isLeader, { what: 'b to take over' });
    expect(log.map((t) => t.who)).toEqual(['a', 'b']);
    expect(log[0]!.previous).toEqual({ graceful: false, note: undefined });
    expect(log[1]!.previous).toEqual({ graceful: true, note: 'last tick from a' });
    await b.stop();
    assertNoOverlap(log);
  });

  it('after a crash the follower takes over only once the lease has expired, with no handover note', async () => {
    const kubeconfig = await server.writeKubeconfig(join(mkdtempSync(join(tmpdir(), 'kube-')), 'config'));
    const a = startProcess(FIXTURE, { KUBECONFIG: kubeconfig }, [kubeconfig, 'a']);
    procs.push(a);
    await a.waitForLog((line) => line['event'] === 'leading');
    const log: Parameters<typeof replica>[2] = [];
    const b = replica(server, 'b', log);
    a.signal('SIGKILL');
    const killedAt = Date.now();
    await waitFor(() => b.elector.isLeader, { what: 'b to take over after expiry', timeoutMs: 10_000 });
    // b cannot have acquired before it saw the record unchanged for a whole lease duration.
    expect(log[0]!.from - killedAt).toBeGreaterThanOrEqual(timing.leaseDurationMs - timing.retryPeriodMs * 2);
    expect(log[0]!.previous).toEqual({ graceful: false, note: undefined });
    await b.stop();
  });

  it('an unreachable API server makes the leader step down before anyone else could lead', async () => {
    const log: Parameters<typeof replica>[2] = [];
    const a = replica(server, 'a', log);
    await waitFor(() => a.elector.isLeader, { what: 'a to lead' });
    const b = replica(server, 'b', log);
    server.pause('refuse');
    const pausedAt = Date.now();
    await waitFor(() => !a.elector.isLeader, { what: 'a to step down', timeoutMs: 5_000 });
    expect(log[0]!.to! - pausedAt).toBeLessThan(timing.leaseDurationMs);
    server.resume();
    await waitFor(() => a.elector.isLeader || b.elector.isLeader, { what: 'a new leader', timeoutMs: 10_000 });
    await a.stop();
    await b.stop();
    assertNoOverlap(log);
  });

  it('survives 409 conflicts and API errors without crashing or splitting', async () => {
    const log: Parameters<typeof replica>[2] = [];
    const a = replica(server, 'a', log);
    const b = replica(server, 'b', log);
    await waitFor(() => a.elector.isLeader || b.elector.isLeader, { what: 'a leader' });
    server.failNext(4, 409, { method: 'PUT' });
    server.failNext(3, 500, { method: 'GET' });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(a.elector.isLeader && b.elector.isLeader).toBe(false);
    await waitFor(() => a.elector.isLeader || b.elector.isLeader, { what: 'a leader again' });
    await a.stop();
    await b.stop();
    assertNoOverlap(log);
  });
});
