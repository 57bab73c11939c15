import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubeApiServer } from './kube-api-server.ts';

/** The Lease duration tests use: short, so a crash takeover happens within a test's time. */
export const TEST_LEASE_MS = 1500;

/**
 * The env an adapter process needs to elect a leader against the test API server: a kubeconfig
 * file for it and Knative's K_LEADER_ELECTION_CONFIG with short timings (renew 1 s, retry 200 ms).
 */
export async function leaderElectionEnv(kube: KubeApiServer): Promise<{ KUBECONFIG: string; K_LEADER_ELECTION_CONFIG: string }> {
  const kubeconfig = await kube.writeKubeconfig(join(mkdtempSync(join(tmpdir(), 'tributary-kube-')), 'config'));
  return {
    KUBECONFIG: kubeconfig,
    K_LEADER_ELECTION_CONFIG: JSON.stringify({ leaseDuration: `${TEST_LEASE_MS}ms`, renewDeadline: '1s', retryPeriod: '200ms' }),
  };
}
