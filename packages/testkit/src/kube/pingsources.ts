import type { ResourceDefinitionInput } from './registry.ts';
import type { KubeObject } from './types.ts';

/**
 * Knative's PingSource custom resource (`sources.knative.dev/v1`, knative/eventing
 * `config/core/resources/pingsource.yaml` at knative-v1.22.2): namespaced, with a status
 * subresource. Registered on every test server, so a test can create, change
 * and delete PingSources while an adapter lists and watches them.
 */
export const PING_SOURCE_RESOURCE: ResourceDefinitionInput = {
  group: 'sources.knative.dev',
  version: 'v1',
  kind: 'PingSource',
  plural: 'pingsources',
  singular: 'pingsource',
  namespaced: true,
  statusSubresource: true,
};

/** `spec` of a PingSource (knative/eventing `pkg/apis/sources/v1/ping_types.go`); the sink ref is the controller's business. */
export interface PingSourceSpec {
  schedule?: string;
  timezone?: string;
  contentType?: string;
  data?: string;
  dataBase64?: string;
  ceOverrides?: { extensions?: Record<string, string> };
  sink?: { ref?: { apiVersion: string; kind: string; name: string; namespace?: string }; uri?: string };
}

export interface PingSourceObjectOptions {
  namespace: string;
  name: string;
  spec?: PingSourceSpec;
  /** `status.sinkUri`, as the PingSource controller resolves `spec.sink`. Omitted: no sink resolved yet. */
  sinkUri?: string;
  /** `status.sinkCACerts`. */
  sinkCACerts?: string;
  /** `status.sinkAudience` (OIDC). */
  sinkAudience?: string;
  /** `status.auth.serviceAccountName` (OIDC). */
  serviceAccountName?: string;
  /** The `Ready` condition's status. Default `True` when a sink URI is given, else `False`. */
  ready?: 'True' | 'False' | 'Unknown';
}

/**
 * A PingSource as the PingSource controller leaves it once reconciled: the duck/v1 `SourceStatus`
 * fields (`knative.dev/pkg/apis/duck/v1/source_types.go`) and the conditions of
 * `ping_lifecycle.go` (SinkProvided, Deployed, OIDCIdentityCreated, and the happy `Ready`).
 */
export function pingSourceObject(options: PingSourceObjectOptions): KubeObject & Record<string, unknown> {
  const ready = options.ready ?? (options.sinkUri === undefined ? 'False' : 'True');
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const condition = (type: string, status: string) => ({ type, status, lastTransitionTime: now });
  return {
    apiVersion: 'sources.knative.dev/v1',
    kind: 'PingSource',
    metadata: { namespace: options.namespace, name: options.name },
    spec: options.spec ?? {},
    status: {
      observedGeneration: 1,
      conditions: [
        condition('Deployed', ready),
        condition('OIDCIdentityCreated', 'True'),
        condition('Ready', ready),
        condition('SinkProvided', options.sinkUri === undefined ? 'False' : 'True'),
      ],
      ...(options.sinkUri !== undefined ? { sinkUri: options.sinkUri } : {}),
      ...(options.sinkCACerts !== undefined ? { sinkCACerts: options.sinkCACerts } : {}),
      ...(options.sinkAudience !== undefined ? { sinkAudience: options.sinkAudience } : {}),
      ...(options.serviceAccountName !== undefined ? { auth: { serviceAccountName: options.serviceAccountName } } : {}),
      ceAttributes: [
        { type: 'dev.knative.sources.ping', source: `/apis/v1/namespaces/${options.namespace}/pingsources/${options.name}` },
      ],
    },
  };
}
