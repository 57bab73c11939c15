import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fixturePath } from '@tributary/testkit';
import {
  APISERVER_EVENT_TYPES,
  changeEvent,
  guessPlural,
  objectReference,
  selfLinkSubject,
  type KubeObject,
} from '../../src/index.ts';

const realPod = JSON.parse(
  readFileSync(fixturePath('apiserver', 'pod-replicaset.json'), 'utf8'),
) as KubeObject;
const at = new Date('2026-05-01T10:00:00.000Z');

describe('changeEvent against Knative events_test.go (pod "unit" in "test")', () => {
  // Knative's simplePod("unit", "test") and its expected attributes and data.
  const simplePod: KubeObject = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { namespace: 'test', name: 'unit' },
  };

  it.each([
    ['add', 'Resource', 'dev.knative.apiserver.resource.add'],
    ['update', 'Resource', 'dev.knative.apiserver.resource.update'],
    ['delete', 'Resource', 'dev.knative.apiserver.resource.delete'],
    ['add', 'Reference', 'dev.knative.apiserver.ref.add'],
    ['update', 'Reference', 'dev.knative.apiserver.ref.update'],
    ['delete', 'Reference', 'dev.knative.apiserver.ref.delete'],
  ] as const)('%s in %s mode is %s', (change, mode, type) => {
    const event = changeEvent(change, simplePod, { mode, source: 'unit-test' }, 'id-1', at);
    expect(event).toEqual({
      id: 'id-1',
      type,
      source: 'unit-test',
      subject: '/apis/v1/namespaces/test/pods/unit',
      time: '2026-05-01T10:00:00.000Z',
      datacontenttype: 'application/json',
      data:
        mode === 'Resource' ? simplePod : { kind: 'Pod', namespace: 'test', name: 'unit', apiVersion: 'v1' },
      extensions: { kind: 'Pod', apiversion: 'v1', name: 'unit', namespace: 'test' },
    });
    // Knative's wantData byte for byte (Reference: Go's ObjectReference field order).
    if (mode === 'Reference')
      expect(JSON.stringify(event.data)).toBe(
        '{"kind":"Pod","namespace":"test","name":"unit","apiVersion":"v1"}',
      );
  });
});

describe('changeEvent with a real pod', () => {
  it('carries the whole object in Resource mode and the API server URL as source', () => {
    const event = changeEvent(
      'update',
      realPod,
      { mode: 'Resource', source: 'https://10.96.0.1:443' },
      'id-2',
      at,
    );
    expect(event.source).toBe('https://10.96.0.1:443');
    expect(event.subject).toBe('/apis/v1/namespaces/default/pods/queue-l4dv8');
    expect(event.extensions).toEqual({
      kind: 'Pod',
      apiversion: 'v1',
      name: 'queue-l4dv8',
      namespace: 'default',
    });
    expect(event.data).toBe(realPod);
  });

  it('carries only the reference in Reference mode', () => {
    const event = changeEvent(
      'delete',
      realPod,
      { mode: 'Reference', source: 'https://10.96.0.1:443' },
      'id-3',
      at,
    );
    expect(event.data).toEqual({ kind: 'Pod', namespace: 'default', name: 'queue-l4dv8', apiVersion: 'v1' });
  });
});

describe('subject (Knative createSelfLink)', () => {
  it('uses /apis/ even for the core group, and the group/version of others', () => {
    expect(selfLinkSubject('v1', 'Pod', 'default', 'web')).toBe('/apis/v1/namespaces/default/pods/web');
    expect(selfLinkSubject('apps/v1', 'Deployment', 'prod', 'api')).toBe(
      '/apis/apps/v1/namespaces/prod/deployments/api',
    );
    expect(selfLinkSubject('example.com/v1', 'Widget', 'team-b', 'w1')).toBe(
      '/apis/example.com/v1/namespaces/team-b/widgets/w1',
    );
  });

  it('leaves the namespace empty for cluster-scoped objects, as Knative does', () => {
    expect(selfLinkSubject('v1', 'Namespace', '', 'default')).toBe('/apis/v1/namespaces//namespaces/default');
    expect(selfLinkSubject('rbac.authorization.k8s.io/v1', 'ClusterRole', '', 'admin')).toBe(
      '/apis/rbac.authorization.k8s.io/v1/namespaces//clusterroles/admin',
    );
  });

  it('applies the versionNameHack to a bare group', () => {
    expect(selfLinkSubject('serving.knative.dev', 'Service', 'default', 's')).toBe(
      '/apis/serving.knative.dev/versionUnknown/namespaces/default/services/s',
    );
  });

  it('guesses plurals like apimachinery UnsafeGuessKindToResource', () => {
    expect(
      ['Pod', 'Ingress', 'NetworkPolicy', 'Endpoints', 'Gateway', 'ConfigMap', 'Status'].map(guessPlural),
    ).toEqual(['pods', 'ingresses', 'networkpolicies', 'endpoints', 'gatewaies', 'configmaps', 'statuses']);
  });
});

describe('objectReference', () => {
  it('omits an empty namespace (Go omitempty) for cluster-scoped objects', () => {
    expect(
      JSON.stringify(
        objectReference({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'kube-system' } }),
      ),
    ).toBe('{"kind":"Namespace","name":"kube-system","apiVersion":"v1"}');
  });
});

describe('APISERVER_EVENT_TYPES', () => {
  it('lists the six types with the CRD descriptions', () => {
    expect(APISERVER_EVENT_TYPES.map((t) => t.type).sort()).toEqual([
      'dev.knative.apiserver.ref.add',
      'dev.knative.apiserver.ref.delete',
      'dev.knative.apiserver.ref.update',
      'dev.knative.apiserver.resource.add',
      'dev.knative.apiserver.resource.delete',
      'dev.knative.apiserver.resource.update',
    ]);
    expect(
      APISERVER_EVENT_TYPES.find((t) => t.type === 'dev.knative.apiserver.resource.add')?.description,
    ).toBe('CloudEvent type used for add operations when in Resource mode');
  });
});
