import type { Env, Leadership, RuntimeConfig } from '@tributary/core';
import { createLogger } from '@tributary/core';
import { loadKubeConfig, readKubeAccess } from './kube-config.ts';
import { readLeaderElectionConfig } from './leader-election-config.ts';
import { LeaseElector } from './lease-elector.ts';

/**
 * The `leadership` hook for a singleton adapter: `leadership: leaseLeadership('ping')`. Reads
 * LEADER_ELECTION / K_LEADER_ELECTION_CONFIG; returns undefined (no election) when neither is set.
 */
export function leaseLeadership(component: string) {
  return (env: Env, runtime: RuntimeConfig): Leadership | undefined => {
    const config = readLeaderElectionConfig(env, runtime, component);
    if (config === undefined) return undefined;
    const access = readKubeAccess(env);
    if (env.problems.length > 0) return undefined;
    let kube;
    try {
      kube = loadKubeConfig(access);
    } catch (error) {
      env.problem(access.kind === 'kubeconfig' ? 'KUBECONFIG' : 'KUBERNETES_SERVICE_HOST', `cannot load Kubernetes access: ${(error as Error).message}`);
      return undefined;
    }
    const logger = createLogger(runtime.logLevel, { adapter: component, namespace: runtime.namespace, source: runtime.name });
    return new LeaseElector(config, kube, logger);
  };
}
