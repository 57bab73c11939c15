// Kubernetes API test server: public surface.
export { KubeApiServer, startKubeApiServer } from './kube-api-server.ts';
export type { KubeApiServerOptions, PauseMode } from './kube-api-server.ts';
export { KubeStoreAccess } from './store-access.ts';
export type { ListFilter } from './store-access.ts';
export type { FailOptions, KubeRequestRecord, RequestFilter } from './request-log.ts';
export { buildKubeConfig, kubeconfigYaml, writeKubeconfigFile } from './kubeconfig.ts';
export type { KubeconfigParams } from './kubeconfig.ts';
export type { ResourceDefinition, ResourceDefinitionInput } from './registry.ts';
export { KubeApiError } from './types.ts';
export type {
  KubeObject,
  KubeObjectMeta,
  KubeOwnerReference,
  KubeStatus,
  StoredObject,
  WatchEventType,
} from './types.ts';
export type { WatchInfo } from './watch.ts';
export type { IssuedToken } from './token-requests.ts';
export { jsonPatch, mergePatch } from './patch.ts';
export type { JsonPatchOperation } from './patch.ts';
export { matchLabels, parseLabelSelector } from './selectors.ts';
export type { LabelRequirement } from './selectors.ts';
export { leaderElectionEnv, TEST_LEASE_MS } from './leader-election-env.ts';
export { PING_SOURCE_RESOURCE, pingSourceObject } from './pingsources.ts';
export type { PingSourceObjectOptions, PingSourceSpec } from './pingsources.ts';
export { GITHUB_SOURCE_RESOURCE, githubSourceObject, secretObject } from './githubsources.ts';
export type { GitHubSourceObjectOptions, GitHubSourceSpec, SecretKeyRef } from './githubsources.ts';
