import type { Env, Leadership, RuntimeConfig } from '@tributary/core';
import { createLogger } from '@tributary/core';
import { loadKubeConfig } from './kube-config.ts';
import { readLeaderElectionConfig } from './leader-election-config.ts';
import { LeaseElector } from './lease-elector.ts';

/**
 * The `leadership` hook for a singleton adapter: `leadership: leaseLeadership('ping')`. Reads
 * LEADER_ELECTION / K_LEADER_ELECTION_CONFIG; returns undefined (no election) when neither is set.
 */
export function leaseLeadership(component: string) {
  return (env: Env, runtime: RuntimeConfig): Leadership | undefined => {
    const config = readLeaderElectionConfig(env, runtime, component);
    if (config === undefined || env.problems.length > 0) return undefined;
    let kube;
    try {
      kube = loadKubeConfig({ kubeconfigPath: config.kubeconfigPath });
    } catch (error) {
      env.problem(config.kubeconfigPath ? 'KUBECONFIG' : 'LEADER_ELECTION', `cannot load Kubernetes access: ${(error as Error).message}`);
      return undefined;
    }
    const logger = createLogger(runtime.logLevel, { adapter: component, namespace: runtime.namespace, source: runtime.name });
    return new LeaseElector(config, kube, logger);
  };
}
