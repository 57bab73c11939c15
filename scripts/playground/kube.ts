import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startKubeApiServer, writeKubeconfigFile, type KubeApiServer } from '@tributary/testkit';
import type { SampleResult } from './samples.ts';

/**
 * Without a cluster (KUBECONFIG unset) the APIServer adapter still runs: against the test kit's
 * Kubernetes API test server, a loopback server that speaks the REST API the adapter uses (list,
 * watch, discovery). The page's pod button creates, changes and deletes a pod in it.
 */
export interface EmbeddedKube {
  readonly kubeconfig: string;
  readonly namespace: string;
  /** One pod's life: created, its labels changed, deleted, a moment apart so each shows. */
  podLifecycle(): Promise<SampleResult>;
  stop(): Promise<void>;
}

export async function startEmbeddedKube(namespace: string): Promise<EmbeddedKube> {
  const server: KubeApiServer = await startKubeApiServer({ namespaces: [namespace] });
  const dir = mkdtempSync(join(tmpdir(), 'tributary-playground-kube-'));
  const kubeconfig = join(dir, 'kubeconfig');
  await writeKubeconfigFile(kubeconfig, { server: server.url, token: server.token, namespace });
  let count = 0;
  return {
    kubeconfig,
    namespace,
    async podLifecycle() {
      const name = `playground-${++count}`;
      const pod = {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name, namespace, labels: { app: 'playground' } },
        spec: { containers: [{ name: 'app', image: 'registry.example/app:1' }] },
      };
      server.create(pod);
      await sleep(300);
      server.patch('v1', 'pods', namespace, name, { metadata: { labels: { app: 'playground', changed: 'yes' } } });
      await sleep(300);
      server.delete('v1', 'pods', namespace, name);
      return { ok: true, message: `pod ${namespace}/${name} created, changed and deleted` };
    },
    async stop() {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
