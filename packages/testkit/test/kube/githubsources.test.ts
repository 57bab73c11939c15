import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CoreV1Api, CustomObjectsApi } from '@kubernetes/client-node';
import { githubSourceObject, secretObject, startKubeApiServer } from '../../src/kube/index.ts';
import type { GitHubSourceSpec, KubeApiServer } from '../../src/kube/index.ts';

const GROUP = { group: 'sources.knative.dev', version: 'v1alpha1', plural: 'githubsources' };
const SPEC: GitHubSourceSpec = {
  ownerAndRepository: 'octo/hello',
  eventTypes: ['push'],
  accessToken: { secretKeyRef: { name: 'gh', key: 'accessToken' } },
  secretToken: { secretKeyRef: { name: 'gh', key: 'secretToken' } },
};

describe('KubeApiServer: GitHubSources and Secrets', () => {
  let server: KubeApiServer;

  beforeEach(async () => {
    server = await startKubeApiServer();
  });
  afterEach(async () => {
    await server.close();
  });

  it('lists GitHubSources cluster-wide through the real client, with the reconciled status', async () => {
    server.create(githubSourceObject({ namespace: 'team-a', name: 'repo', spec: SPEC, sinkUri: 'http://sink.team-a.svc' }));
    server.create(githubSourceObject({ namespace: 'team-b', name: 'pending', spec: SPEC }));
    const api = server.kubeConfig().makeApiClient(CustomObjectsApi);

    const all = (await api.listClusterCustomObject(GROUP)) as { kind: string; items: { metadata: { name: string }; status: Record<string, unknown> }[] };

    expect(all.kind).toBe('GitHubSourceList');
    expect(all.items.map((item) => item.metadata.name)).toEqual(['repo', 'pending']);
    expect(all.items[0]?.status).toMatchObject({
      sinkUri: 'http://sink.team-a.svc',
      ceAttributes: [{ type: 'dev.knative.source.github.push', source: 'https://github.com/octo/hello' }],
      conditions: expect.arrayContaining([expect.objectContaining({ type: 'Ready', status: 'True' })]),
    });
    expect(all.items[1]?.status['conditions']).toContainEqual(expect.objectContaining({ type: 'Ready', status: 'False' }));
  });

  it('serves Secrets with base64 data, and 404 for a missing one', async () => {
    server.create(secretObject('team-a', 'gh', { secretToken: 'It’s a secret' }));
    const core = server.kubeConfig().makeApiClient(CoreV1Api);

    const secret = await core.readNamespacedSecret({ namespace: 'team-a', name: 'gh' });

    expect(Buffer.from(secret.data?.['secretToken'] ?? '', 'base64').toString('utf8')).toBe('It’s a secret');
    await expect(core.readNamespacedSecret({ namespace: 'team-a', name: 'missing' })).rejects.toMatchObject({ code: 404 });
  });
});
