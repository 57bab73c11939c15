// Every file in deploy/manifests/ parses and validates against the Kubernetes and Knative schemas,
// and every adapter has both a ContainerSource and a SinkBinding example.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CHARTS } from '../../deploy/helm/adapters.ts';
import { parseObjects, validateAll, type K8sObject } from './k8s-schema.ts';

const MANIFESTS = fileURLToPath(new URL('../../deploy/manifests/', import.meta.url));
const files = readdirSync(MANIFESTS, { recursive: true, encoding: 'utf8' })
  .filter((file) => file.endsWith('.yaml'))
  .sort();

function objectsIn(dir: string): K8sObject[] {
  return files
    .filter((file) => file.startsWith(`${dir}/`))
    .flatMap((file) => parseObjects(readFileSync(join(MANIFESTS, file), 'utf8')));
}

interface PodSpec {
  containers: {
    env?: { name: string; value?: string; valueFrom?: { fieldRef?: { fieldPath: string } } }[];
    securityContext?: Record<string, unknown>;
  }[];
  serviceAccountName?: string;
}

function podSpecs(objects: readonly K8sObject[]): PodSpec[] {
  return objects
    .filter((o) => o.kind === 'ContainerSource' || o.kind === 'Deployment')
    .map((o) => (o['spec'] as { template: { spec: PodSpec } }).template.spec);
}

describe('deploy/manifests', () => {
  it.each(files)('%s validates against the Kubernetes and Knative schemas', async (file) => {
    const objects = parseObjects(readFileSync(join(MANIFESTS, file), 'utf8'));
    expect(objects.length).toBeGreaterThan(0);
    await validateAll(objects);
    for (const spec of podSpecs(objects)) {
      for (const container of spec.containers) {
        expect(container.securityContext, file).toMatchObject({
          readOnlyRootFilesystem: true,
          allowPrivilegeEscalation: false,
          capabilities: { drop: ['ALL'] },
        });
      }
    }
  });

  it.each(CHARTS.filter((c) => c.source).map((c) => c.name))(
    '%s has a ContainerSource and a SinkBinding example',
    (adapter) => {
      const kinds = objectsIn(adapter).map((o) => o.kind);
      expect(kinds).toContain('ContainerSource');
      expect(kinds).toContain('SinkBinding');
    },
  );

  it('the heartbeat ContainerSource reads POD_NAME and POD_NAMESPACE from the downward API', () => {
    const source = objectsIn('heartbeat').find((o) => o.kind === 'ContainerSource');
    const env = podSpecs(source ? [source] : [])[0]?.containers[0]?.env ?? [];
    expect(env.find((e) => e.name === 'POD_NAME')?.valueFrom?.fieldRef?.fieldPath).toBe('metadata.name');
    expect(env.find((e) => e.name === 'POD_NAMESPACE')?.valueFrom?.fieldRef?.fieldPath).toBe(
      'metadata.namespace',
    );
  });

  it('the ApiServerSource equivalent runs as a ServiceAccount bound to a Role allowing exactly get/list/watch on pods', () => {
    const objects = objectsIn('apiserver').filter((o) => !o.metadata.namespace);
    const source = objects.find((o) => o.kind === 'ContainerSource');
    const account = podSpecs(source ? [source] : [])[0]?.serviceAccountName;
    const binding = objects.find((o) => o.kind === 'RoleBinding');
    expect((binding?.['subjects'] as { name: string }[])[0]?.name).toBe(account);
    const role = objects.find(
      (o) => o.kind === 'Role' && o.metadata.name === (binding?.['roleRef'] as { name: string }).name,
    );
    expect(role?.['rules']).toEqual([
      { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] },
    ]);
    const config = podSpecs(source ? [source] : [])[0]?.containers[0]?.env?.find(
      (e) => e.name === 'K_SOURCE_CONFIG',
    )?.value;
    expect(JSON.parse(config ?? '{}')).toMatchObject({
      mode: 'Reference',
      resources: [{ gvr: { Group: '', Version: 'v1', Resource: 'pods' } }],
    });
  });

  it('the PingSource equivalent names itself so its events carry the PingSource source', () => {
    const source = objectsIn('ping').find((o) => o.kind === 'ContainerSource');
    const env = podSpecs(source ? [source] : [])[0]?.containers[0]?.env ?? [];
    expect(env.find((e) => e.name === 'NAME')?.value).toBe(source?.metadata.name);
    expect(env.find((e) => e.name === 'PING_SCHEDULE')?.value).toBe('* * * * *');
  });

  it('the replicated ping Deployment elects a leader on a Lease its ServiceAccount may use by name only', () => {
    const objects = objectsIn('ping');
    const deployment = objects.find((o) => o.kind === 'Deployment');
    expect((deployment?.['spec'] as { replicas: number }).replicas).toBeGreaterThan(1);
    const pod = (
      deployment?.['spec'] as { template: { spec: PodSpec & { automountServiceAccountToken: boolean } } }
    ).template.spec;
    expect(pod.automountServiceAccountToken).toBe(true);
    const env = pod.containers[0]?.env ?? [];
    const lease = env.find((e) => e.name === 'LEADER_ELECTION_LEASE_NAME')?.value;
    expect(env.find((e) => e.name === 'LEADER_ELECTION')?.value).toBe('true');
    expect(env.find((e) => e.name === 'NAMESPACE')?.valueFrom?.fieldRef?.fieldPath).toBe(
      'metadata.namespace',
    );
    expect(env.find((e) => e.name === 'POD_NAME')?.valueFrom?.fieldRef?.fieldPath).toBe('metadata.name');
    expect(
      objects.some((o) => o.kind === 'ServiceAccount' && o.metadata.name === pod.serviceAccountName),
    ).toBe(true);
    const binding = objects.find((o) => o.kind === 'RoleBinding');
    expect((binding?.['subjects'] as { name: string }[])[0]?.name).toBe(pod.serviceAccountName);
    const role = objects.find(
      (o) => o.kind === 'Role' && o.metadata.name === (binding?.['roleRef'] as { name: string }).name,
    );
    expect(role?.['rules']).toEqual([
      { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['create'] },
      {
        apiGroups: ['coordination.k8s.io'],
        resources: ['leases'],
        resourceNames: [lease],
        verbs: ['get', 'update', 'patch'],
      },
    ]);
  });
});
