import { writeFile } from 'node:fs/promises';
import { KubeConfig } from '@kubernetes/client-node';

/** Connection details for a kubeconfig pointing at the test server. */
export interface KubeconfigParams {
  server: string;
  token: string;
  /** Default namespace of the context. Default `default`. */
  namespace?: string;
  /** Cluster/user/context name. Default `tributary-test`. */
  name?: string;
}

/**
 * A `KubeConfig` for plain http + bearer token. `skipTLSVerify` must be true: the client
 * refuses `http:` servers otherwise ("HTTP protocol is not allowed when skipTLSVerify is not set").
 */
export function buildKubeConfig(params: KubeconfigParams): KubeConfig {
  const name = params.name ?? 'tributary-test';
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name, server: params.server, skipTLSVerify: true }],
    users: [{ name, token: params.token }],
    contexts: [{ name, cluster: name, user: name, namespace: params.namespace ?? 'default' }],
    currentContext: name,
  });
  return kc;
}

/** kubeconfig YAML (string scalars JSON-quoted, which is valid YAML). */
export function kubeconfigYaml(params: KubeconfigParams): string {
  const q = (s: string): string => JSON.stringify(s);
  const name = q(params.name ?? 'tributary-test');
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    `- name: ${name}`,
    '  cluster:',
    `    server: ${q(params.server)}`,
    '    insecure-skip-tls-verify: true',
    'users:',
    `- name: ${name}`,
    '  user:',
    `    token: ${q(params.token)}`,
    'contexts:',
    `- name: ${name}`,
    '  context:',
    `    cluster: ${name}`,
    `    user: ${name}`,
    `    namespace: ${q(params.namespace ?? 'default')}`,
    `current-context: ${name}`,
    'preferences: {}',
    '',
  ].join('\n');
}

/** Writes a kubeconfig file (mode 0600) for child processes (`KUBECONFIG=<path>`). */
export async function writeKubeconfigFile(path: string, params: KubeconfigParams): Promise<void> {
  await writeFile(path, kubeconfigYaml(params), { mode: 0o600 });
}
