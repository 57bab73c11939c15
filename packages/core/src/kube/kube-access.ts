import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Env } from '../config/env.ts';

/** Where a pod's service account credentials are mounted. */
export const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

/** How to reach the API server: a kubeconfig file, or the pod's service account. */
export type KubeAccess =
  | { readonly kind: 'kubeconfig'; readonly path: string; readonly context?: string | undefined }
  | {
      readonly kind: 'in-cluster';
      readonly host: string;
      readonly port: string;
      readonly serviceAccountDir: string;
    };

/**
 * How to reach the API server, with knative.dev/pkg's precedence: an explicit `KUBECONFIG`
 * wins; otherwise the pod's service account (`KUBERNETES_SERVICE_HOST`/`_PORT` and the token
 * mounted under /var/run/secrets/kubernetes.io/serviceaccount). Every problem is reported on `env`.
 */
export function readKubeAccess(env: Env): KubeAccess {
  const access = findKubeAccess(env);
  if (access === undefined) {
    env.problem(
      'KUBECONFIG',
      'no Kubernetes access: set KUBECONFIG, or run in a pod (KUBERNETES_SERVICE_HOST and a service account token)',
    );
    return { kind: 'kubeconfig', path: '' };
  }
  if (access.kind === 'kubeconfig' && !existsSync(access.path)) {
    env.problem('KUBECONFIG', `no such file: ${env.string('KUBECONFIG') ?? access.path}`);
  }
  if (access.kind === 'in-cluster' && !existsSync(join(access.serviceAccountDir, 'token'))) {
    env.problem(
      'KUBERNETES_SERVICE_HOST',
      `is set but there is no service account token in ${access.serviceAccountDir} (automountServiceAccountToken: false?)`,
    );
  }
  return access;
}

/**
 * The Kubernetes access the environment describes, if any, without reporting problems: for
 * components that only sometimes need the API (OIDC tokens for a multi-tenant target).
 */
export function findKubeAccess(env: Env): KubeAccess | undefined {
  const kubeconfig = env.string('KUBECONFIG');
  if (kubeconfig !== undefined) {
    // client-go accepts a path list; the first file that exists is the one that counts here.
    const path = kubeconfig.split(':').find((p) => p !== '' && existsSync(p));
    return { kind: 'kubeconfig', path: path ?? kubeconfig, context: env.string('KUBECONFIG_CONTEXT') };
  }
  const host = env.string('KUBERNETES_SERVICE_HOST');
  if (host === undefined) return undefined;
  return {
    kind: 'in-cluster',
    host,
    port: env.string('KUBERNETES_SERVICE_PORT', { default: '443' }),
    serviceAccountDir: env.string('KUBERNETES_SERVICE_ACCOUNT_DIR', { default: SERVICE_ACCOUNT_DIR }),
  };
}
