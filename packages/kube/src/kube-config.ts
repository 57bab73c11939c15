import { existsSync } from 'node:fs';
import { isIPv6 } from 'node:net';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import type { Env } from '@tributary/core';

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
 * A `KubeConfig` for the given access. In cluster it is built like client-go's `InClusterConfig`
 * (server `https://<host>:<port>`, the service account CA, the token re-read from its file as it
 * rotates), so the server URL, which ApiServerSource events carry as `source`, is the one Knative
 * reports.
 */
export function loadKubeConfig(access: KubeAccess): KubeConfig {
  const kc = new KubeConfig();
  if (access.kind === 'kubeconfig') {
    kc.loadFromFile(access.path);
    if (access.context !== undefined) kc.setCurrentContext(access.context);
    allowPlainHttp(kc);
  } else {
    const host = isIPv6(access.host) ? `[${access.host}]` : access.host;
    kc.loadFromOptions({
      clusters: [
        {
          name: 'in-cluster',
          server: `https://${host}:${access.port}`,
          caFile: join(access.serviceAccountDir, 'ca.crt'),
          skipTLSVerify: false,
        },
      ],
      users: [
        {
          name: 'in-cluster',
          authProvider: { name: 'tokenFile', config: { tokenFile: join(access.serviceAccountDir, 'token') } },
        },
      ],
      contexts: [{ name: 'in-cluster', cluster: 'in-cluster', user: 'in-cluster' }],
      currentContext: 'in-cluster',
    });
  }
  if (kc.getCurrentCluster() === null) throw new Error('the kubeconfig has no current cluster');
  return kc;
}

/**
 * `kubectl proxy` serves the API on plain `http://`, and kubectl and client-go accept that. The
 * Node client refuses it unless `insecure-skip-tls-verify` is set ("HTTP protocol is not allowed
 * when skipTLSVerify is not set"), though a plain-http server has no TLS to verify: mark such
 * clusters so, and only those.
 */
function allowPlainHttp(kc: KubeConfig): void {
  kc.clusters = kc.clusters.map((cluster) =>
    cluster.server.startsWith('http://') && !cluster.skipTLSVerify ? { ...cluster, skipTLSVerify: true } : cluster,
  );
}

/**
 * How to reach the API server, with knative.dev/pkg's precedence: an explicit `KUBECONFIG`
 * wins; otherwise the pod's service account (`KUBERNETES_SERVICE_HOST`/`_PORT` and the token
 * mounted under /var/run/secrets/kubernetes.io/serviceaccount).
 */
export function readKubeAccess(env: Env): KubeAccess {
  const kubeconfig = env.string('KUBECONFIG');
  if (kubeconfig !== undefined) {
    // client-go accepts a path list; the first file that exists is the one that counts here.
    const path = kubeconfig.split(':').find((p) => p !== '' && existsSync(p));
    if (path === undefined) env.problem('KUBECONFIG', `no such file: ${kubeconfig}`);
    return { kind: 'kubeconfig', path: path ?? kubeconfig, context: env.string('KUBECONFIG_CONTEXT') };
  }
  const host = env.string('KUBERNETES_SERVICE_HOST');
  if (host === undefined) {
    env.problem(
      'KUBECONFIG',
      'no Kubernetes access: set KUBECONFIG, or run in a pod (KUBERNETES_SERVICE_HOST and a service account token)',
    );
    return { kind: 'kubeconfig', path: '' };
  }
  const port = env.string('KUBERNETES_SERVICE_PORT', { default: '443' });
  const serviceAccountDir = env.string('KUBERNETES_SERVICE_ACCOUNT_DIR', { default: SERVICE_ACCOUNT_DIR });
  if (!existsSync(join(serviceAccountDir, 'token'))) {
    env.problem(
      'KUBERNETES_SERVICE_HOST',
      `is set but there is no service account token in ${serviceAccountDir} (automountServiceAccountToken: false?)`,
    );
  }
  return { kind: 'in-cluster', host, port, serviceAccountDir };
}
