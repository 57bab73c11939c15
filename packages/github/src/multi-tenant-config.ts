import { readKubeAccess, type Env, type KubeAccess } from '@tributary/core';

/** One process serving every GitHubSource by path, as eventing-github's multi-tenant adapter. */
export interface MultiTenantConfig {
  readonly kube: KubeAccess;
  /** Watch GitHubSources in this namespace only; undefined: every namespace, as eventing-github does. */
  readonly namespace: string | undefined;
  /** Shortest time between two reads of one source's Secret after a signature mismatch. */
  readonly secretRereadMs: number;
}

/** What the single-tenant adapter is configured by; each GitHubSource names its own in multi-tenant mode. */
const SINGLE_TENANT_VARIABLES = ['K_SINK', 'GITHUB_SECRET_TOKEN', 'GITHUB_SECRET_TOKEN_FILE', 'GITHUB_OWNER_REPO'];

/**
 * Multi-tenant mode: `GITHUB_MULTI_TENANT=true`, or, when it is unset, exactly the env of
 * eventing-github's `github-adapter` Knative Service (v0.48.0 config/mt-github/500-adapter-ksvc.yaml):
 * Kubernetes access and none of K_SINK, a secret or a repository.
 */
export function readMultiTenantConfig(env: Env): MultiTenantConfig | undefined {
  const hasKubeAccess = env.has('KUBECONFIG') || env.has('KUBERNETES_SERVICE_HOST');
  const singleTenant = SINGLE_TENANT_VARIABLES.filter((name) => env.has(name));
  const enabled = env.has('GITHUB_MULTI_TENANT') ? env.bool('GITHUB_MULTI_TENANT') : hasKubeAccess && singleTenant.length === 0;
  if (!enabled) return undefined;
  for (const name of singleTenant) {
    env.problem(name, 'does not apply in multi-tenant mode, where each GitHubSource names its own (unset it, or set GITHUB_MULTI_TENANT=false)');
  }
  return {
    kube: readKubeAccess(env),
    namespace: env.string('GITHUB_SOURCES_NAMESPACE'),
    secretRereadMs: env.duration('GITHUB_SECRET_REREAD_INTERVAL', 10_000),
  };
}
