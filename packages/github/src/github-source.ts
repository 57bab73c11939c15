import type { Extensions } from '@tributary/core';

/**
 * The fields of an eventing-github GitHubSource (`sources.knative.dev/v1alpha1`,
 * pkg/apis/sources/v1alpha1/githubsource_types.go at v0.48.0) the multi-tenant adapter serves it by.
 */
export interface GitHubSourceObject {
  readonly metadata?: { readonly namespace?: string; readonly name?: string; readonly resourceVersion?: string };
  readonly spec?: {
    readonly ownerAndRepository?: string;
    readonly secretToken?: { readonly secretKeyRef?: { readonly name?: string; readonly key?: string } };
    readonly ceOverrides?: { readonly extensions?: Readonly<Record<string, unknown>> };
  };
  readonly status?: {
    readonly sinkUri?: string;
    readonly sinkCACerts?: string;
    readonly sinkAudience?: string;
    readonly auth?: { readonly serviceAccountName?: string };
  };
}

/** One GitHubSource as served: its path, its secret's coordinates, its identity and target. */
export interface Tenant {
  readonly namespace: string;
  readonly name: string;
  /** `/<namespace>/<name>`: the path the controller points the hook at (githubsource.go, multi-tenant case). */
  readonly path: string;
  readonly secretRef: { readonly name: string; readonly key: string };
  /** `https://github.com/<ownerAndRepository>` (GitHubEventSource), or the GITHUB_URL host's. */
  readonly source: string;
  readonly sink: URL;
  readonly sinkCACerts: string | undefined;
  readonly oidc: { readonly audience: string; readonly serviceAccount: string; readonly namespace: string } | undefined;
  readonly ceOverrides: Extensions;
}

export type TenantResult = { readonly ok: true; readonly tenant: Tenant } | { readonly ok: false; readonly problem: string };

/**
 * Reads a GitHubSource into a Tenant, or says why it cannot be served yet. A source is served
 * once its controller resolved the sink (`status.sinkUri`); eventing-github's own adapter waits for
 * `Ready`, which comes only after the hook exists, so it answers GitHub's first ping with 404.
 */
export function tenantOf(object: GitHubSourceObject, webUrl: string): TenantResult {
  const namespace = object.metadata?.namespace ?? '';
  const name = object.metadata?.name ?? '';
  if (namespace === '' || name === '') return { ok: false, problem: 'has no namespace or name' };
  const ref = object.spec?.secretToken?.secretKeyRef;
  if (ref?.name === undefined || ref.name === '' || ref.key === undefined || ref.key === '') {
    return { ok: false, problem: 'has no spec.secretToken.secretKeyRef' };
  }
  const ownerAndRepository = object.spec?.ownerAndRepository ?? '';
  if (ownerAndRepository === '') return { ok: false, problem: 'has no spec.ownerAndRepository' };
  const sinkUri = object.status?.sinkUri ?? '';
  if (sinkUri === '') return { ok: false, problem: 'has no status.sinkUri yet (the controller has not resolved the sink)' };
  if (!URL.canParse(sinkUri) || !/^https?:$/.test(new URL(sinkUri).protocol)) {
    return { ok: false, problem: `has status.sinkUri ${JSON.stringify(sinkUri)}, not an http(s) URL` };
  }
  const audience = object.status?.sinkAudience;
  const serviceAccount = object.status?.auth?.serviceAccountName;
  return {
    ok: true,
    tenant: {
      namespace,
      name,
      path: `/${namespace}/${name}`,
      secretRef: { name: ref.name, key: ref.key },
      source: `${webUrl}/${ownerAndRepository}`,
      sink: new URL(sinkUri),
      sinkCACerts: nonEmpty(object.status?.sinkCACerts),
      oidc: audience && serviceAccount ? { audience, serviceAccount, namespace } : undefined,
      ceOverrides: stringExtensions(object.spec?.ceOverrides?.extensions),
    },
  };
}

/** Two tenants are served alike when everything but the object's version is equal. */
export function sameTenant(a: Tenant, b: Tenant): boolean {
  return JSON.stringify({ ...a, sink: a.sink.href }) === JSON.stringify({ ...b, sink: b.sink.href });
}

// duckv1.CloudEventOverrides.Extensions is map[string]string; other values cannot come from a valid object.
function stringExtensions(extensions: Readonly<Record<string, unknown>> | undefined): Extensions {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(extensions ?? {})) if (typeof value === 'string') out[key] = value;
  return out;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
