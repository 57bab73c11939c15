import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CustomObjectsApi, Watch } from '@kubernetes/client-node';
import { pingSourceObject, startKubeApiServer } from '../../src/kube/index.ts';
import type { KubeApiServer } from '../../src/kube/index.ts';
import { waitFor } from '../../src/wait.ts';

const GROUP = { group: 'sources.knative.dev', version: 'v1', plural: 'pingsources' };

describe('KubeApiServer: Knative PingSources', () => {
  let server: KubeApiServer;

  beforeEach(async () => {
    server = await startKubeApiServer();
  });
  afterEach(async () => {
    await server.close();
  });

  it('lists PingSources cluster-wide and per namespace through the real client', async () => {
    server.create(pingSourceObject({ namespace: 'default', name: 'a', spec: { schedule: '* * * * *' }, sinkUri: 'http://sink.default.svc' }));
    server.create(pingSourceObject({ namespace: 'kube-public', name: 'b', spec: { data: 'hi' } }));
    const api = server.kubeConfig().makeApiClient(CustomObjectsApi);

    const all = (await api.listClusterCustomObject(GROUP)) as { kind: string; items: { metadata: { name: string }; status: Record<string, unknown> }[] };
    const one = (await api.listNamespacedCustomObject({ ...GROUP, namespace: 'kube-public' })) as { items: { metadata: { name: string } }[] };

    expect(all.kind).toBe('PingSourceList');
    expect(all.items.map((item) => item.metadata.name)).toEqual(['a', 'b']);
    expect(all.items[0]?.status).toMatchObject({
      sinkUri: 'http://sink.default.svc',
      conditions: expect.arrayContaining([expect.objectContaining({ type: 'Ready', status: 'True' })]),
    });
    expect(all.items[1]?.status['conditions']).toContainEqual(expect.objectContaining({ type: 'Ready', status: 'False' }));
    expect(one.items.map((item) => item.metadata.name)).toEqual(['b']);
  });

  it('streams creates, changes and deletes made by the test to a watch', async () => {
    const seen: string[] = [];
    const controller = await new Watch(server.kubeConfig()).watch(
      '/apis/sources.knative.dev/v1/pingsources',
      {},
      (type, object: { metadata: { name: string }; spec: { schedule?: string } }) => seen.push(`${type} ${object.metadata.name} ${object.spec.schedule}`),
      () => undefined,
    );
    server.create(pingSourceObject({ namespace: 'default', name: 'a', spec: { schedule: '* * * * *' }, sinkUri: 'http://sink' }));
    server.patch('sources.knative.dev/v1', 'PingSource', 'default', 'a', { spec: { schedule: '*/5 * * * *' } });
    server.delete('sources.knative.dev/v1', 'pingsources', 'default', 'a');

    await waitFor(() => seen.length === 3, { what: 'three watch events' });
    controller.abort();
    expect(seen).toEqual(['ADDED a * * * * *', 'MODIFIED a */5 * * * *', 'DELETED a */5 * * * *']);
  });
});
