// Public surface of @tributary/kube.
export { loadKubeConfig, readKubeAccess, SERVICE_ACCOUNT_DIR, type KubeAccess } from './kube-config.ts';
export { readLeaderElectionConfig, type LeaderElectionConfig } from './leader-election-config.ts';
export { LeaseElector, HANDOVER_ANNOTATION } from './lease-elector.ts';
export { leaseLeadership } from './leadership.ts';
