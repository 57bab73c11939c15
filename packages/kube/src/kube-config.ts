import { isIPv6 } from 'node:net';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import type { KubeAccess } from '@tributary/core';

export { readKubeAccess, SERVICE_ACCOUNT_DIR, type KubeAccess } from '@tributary/core';

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
