// The baseline for `bench/apiserver.ts`: Knative's ApiServerSource delivery discipline in Node —
// list, then watch with @kubernetes/client-node's `Watch`, and send each change to the sink one at
// a time, in the order the watch produced them (Knative's delegate sends synchronously inside the
// reflector). Resource mode data, binary CloudEvents over undici. Prints `{"ready":true}` once the
// watch is open. `node bench/apiserver-baseline.ts <kubeconfig> <namespace> <sinkUrl>`
import { randomUUID } from 'node:crypto';
import { CoreV1Api, KubeConfig, Watch } from '@kubernetes/client-node';
import { Agent, request } from 'undici';

const [kubeconfig = '', namespace = 'default', sinkUrl = ''] = process.argv.slice(2);
const kc = new KubeConfig();
kc.loadFromFile(kubeconfig);
const source = kc.getCurrentCluster()?.server ?? '';
const dispatcher = new Agent({ connections: 1 });
const TYPES: Record<string, string> = { ADDED: 'add', MODIFIED: 'update', DELETED: 'delete' };

async function send(
  type: string,
  object: { kind?: string; apiVersion?: string; metadata?: { name?: string; namespace?: string } },
): Promise<void> {
  const name = object.metadata?.name ?? '';
  const response = await request(sinkUrl, {
    method: 'POST',
    dispatcher,
    headers: {
      'content-type': 'application/json',
      'ce-specversion': '1.0',
      'ce-id': randomUUID(),
      'ce-type': `dev.knative.apiserver.resource.${TYPES[type]}`,
      'ce-source': source,
      'ce-subject': `/apis/v1/namespaces/${namespace}/pods/${name}`,
      'ce-time': new Date().toISOString(),
      'ce-kind': object.kind ?? '',
      'ce-apiversion': object.apiVersion ?? '',
      'ce-name': name,
      'ce-namespace': object.metadata?.namespace ?? '',
    },
    body: JSON.stringify(object),
  });
  await response.body.dump();
}

const list = await kc.makeApiClient(CoreV1Api).listNamespacedPod({ namespace });
let chain = Promise.resolve();
await new Watch(kc).watch(
  `/api/v1/namespaces/${namespace}/pods`,
  { resourceVersion: list.metadata?.resourceVersion },
  (type, object) => {
    if (TYPES[type] !== undefined) chain = chain.then(() => send(type, object));
  },
  (error) => {
    if (error) process.stderr.write(`baseline watch ended: ${String(error)}\n`);
  },
);
process.stdout.write(`${JSON.stringify({ ready: true })}\n`);
process.on('SIGTERM', () => process.exit(0));
