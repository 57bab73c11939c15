import { KubeConfig } from '@kubernetes/client-node';

export interface KubeAccess {
  /** `KUBECONFIG` path; when unset, the in-cluster service account is used. */
  readonly kubeconfigPath: string | undefined;
}

/**
 * In a pod, the service account (KUBERNETES_SERVICE_HOST and the mounted token); elsewhere the
 * file named by KUBECONFIG, as client-go's usual order does.
 */
export function loadKubeConfig(access: KubeAccess): KubeConfig {
  const config = new KubeConfig();
  if (access.kubeconfigPath !== undefined) config.loadFromFile(access.kubeconfigPath);
  else config.loadFromCluster();
  return config;
}
