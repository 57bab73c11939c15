import type { ResourceDefinitionInput } from './registry.ts';
import type { KubeObject } from './types.ts';

/**
 * eventing-github's GitHubSource custom resource (`sources.knative.dev/v1alpha1`,
 * knative-extensions/eventing-github `config/core/300-githubsource.yaml` at v0.48.0): namespaced,
 * with a status subresource. Registered on every test server, so a test can create, change and
 * delete GitHubSources while the multi-tenant GitHub adapter watches them.
 */
export const GITHUB_SOURCE_RESOURCE: ResourceDefinitionInput = {
  group: 'sources.knative.dev',
  version: 'v1alpha1',
  kind: 'GitHubSource',
  plural: 'githubsources',
  singular: 'githubsource',
  namespaced: true,
  statusSubresource: true,
};

/** A `SecretKeySelector` (`secretKeyRef`). */
export interface SecretKeyRef {
  name: string;
  key: string;
}

/** `spec` of a GitHubSource (eventing-github `pkg/apis/sources/v1alpha1/githubsource_types.go`, v0.48.0). */
export interface GitHubSourceSpec {
  ownerAndRepository: string;
  eventTypes: string[];
  accessToken: { secretKeyRef: SecretKeyRef };
  secretToken: { secretKeyRef: SecretKeyRef };
  githubAPIURL?: string;
  secure?: boolean;
  serviceAccountName?: string;
  ceOverrides?: { extensions?: Record<string, string> };
  sink?: { ref?: { apiVersion: string; kind: string; name: string; namespace?: string }; uri?: string };
}

export interface GitHubSourceObjectOptions {
  namespace: string;
  name: string;
  spec: GitHubSourceSpec;
  /** `status.sinkUri`, as the GitHubSource controller resolves `spec.sink`. Omitted: no sink resolved yet. */
  sinkUri?: string;
  /** `status.sinkCACerts`. */
  sinkCACerts?: string;
  /** The `Ready` condition's status. Default `True` when a sink URI is given, else `False`. */
  ready?: 'True' | 'False' | 'Unknown';
}

/**
 * A GitHubSource as the controller leaves it once reconciled: the duck/v1 `SourceStatus` fields,
 * `webhookIDKey`, and the conditions of `githubsource_types.go` (SecretsProvided, SinkProvided,
 * WebhookConfigured, and the happy `Ready`).
 */
export function githubSourceObject(options: GitHubSourceObjectOptions): KubeObject & Record<string, unknown> {
  const ready = options.ready ?? (options.sinkUri === undefined ? 'False' : 'True');
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const condition = (type: string, status: string) => ({ type, status, lastTransitionTime: now });
  return {
    apiVersion: 'sources.knative.dev/v1alpha1',
    kind: 'GitHubSource',
    metadata: { namespace: options.namespace, name: options.name },
    spec: options.spec,
    status: {
      observedGeneration: 1,
      conditions: [
        condition('Ready', ready),
        condition('SecretsProvided', 'True'),
        condition('SinkProvided', options.sinkUri === undefined ? 'False' : 'True'),
        condition('WebhookConfigured', ready),
      ],
      ...(options.sinkUri !== undefined ? { sinkUri: options.sinkUri } : {}),
      ...(options.sinkCACerts !== undefined ? { sinkCACerts: options.sinkCACerts } : {}),
      webhookIDKey: '292430182',
      ceAttributes: options.spec.eventTypes.map((type) => ({
        type: `dev.knative.source.github.${type}`,
        source: `https://github.com/${options.spec.ownerAndRepository}`,
      })),
    },
  };
}

/** A core/v1 Secret with `data` base64-encoded, as the API server returns it. */
export function secretObject(namespace: string, name: string, data: Readonly<Record<string, string>>): KubeObject & Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { namespace, name },
    type: 'Opaque',
    data: Object.fromEntries(Object.entries(data).map(([key, value]) => [key, Buffer.from(value, 'utf8').toString('base64')])),
  };
}
