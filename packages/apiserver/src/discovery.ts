import { KubeApiError, type KubeApi } from './kube-client.ts';
import { describeSpec, groupVersion, type ResourceSpec } from './source-config.ts';

/** A configured resource as the API server serves it. */
export interface ResolvedResource {
  readonly spec: ResourceSpec;
  readonly group: string;
  readonly version: string;
  /** `v1` or `<group>/<version>`. */
  readonly apiVersion: string;
  readonly kind: string;
  /** The real plural from discovery (URL paths). */
  readonly plural: string;
  readonly namespaced: boolean;
}

interface ApiResourceList {
  readonly resources?: ReadonlyArray<{
    readonly name: string;
    readonly kind: string;
    readonly namespaced: boolean;
  }>;
}

/** A configured resource the API server does not serve: a configuration error, not an outage. */
export class UnknownResourceError extends Error {
  readonly code = 'UNKNOWN_RESOURCE';

  constructor(message: string) {
    super(message);
    this.name = 'UnknownResourceError';
  }
}

/**
 * Resolves every configured resource through API discovery (`/api/v1`, `/apis/<group>/<version>`),
 * as Knative's adapter does with `ServerResourcesForGroupVersion`. `{apiVersion, kind}` entries
 * are matched by kind, `gvr` entries by plural. Knative logs an unknown resource and skips it
 * forever; here it fails the start, naming the entry. Transport errors are thrown as they are,
 * for the caller to retry.
 */
export async function resolveResources(
  api: KubeApi,
  specs: readonly ResourceSpec[],
  signal?: AbortSignal,
): Promise<ResolvedResource[]> {
  const lists = new Map<string, Promise<ApiResourceList>>();
  const listFor = (group: string, version: string) => {
    const key = groupVersion(group, version);
    let list = lists.get(key);
    if (list === undefined) {
      list = api.getJson<ApiResourceList>(
        group === '' ? `/api/${version}` : `/apis/${group}/${version}`,
        {},
        signal,
      );
      lists.set(key, list);
    }
    return list;
  };
  const resolved: ResolvedResource[] = [];
  for (const spec of specs) {
    const apiVersion = groupVersion(spec.group, spec.version);
    let list: ApiResourceList;
    try {
      list = await listFor(spec.group, spec.version);
    } catch (error) {
      if (error instanceof KubeApiError && error.code === 404) {
        throw new UnknownResourceError(
          `K_SOURCE_CONFIG ${spec.at}: the API server does not serve ${apiVersion} (${describeSpec(spec)})`,
        );
      }
      throw error;
    }
    // Subresources (`pods/status`) share the kind; only top-level names are watchable.
    const match = (list.resources ?? []).find(
      (r) =>
        !r.name.includes('/') &&
        (spec.resource !== undefined ? r.name === spec.resource : r.kind === spec.kind),
    );
    if (match === undefined) {
      throw new UnknownResourceError(
        `K_SOURCE_CONFIG ${spec.at}: unknown kind ${describeSpec(spec)}: ${apiVersion} has no such resource`,
      );
    }
    resolved.push({
      spec,
      group: spec.group,
      version: spec.version,
      apiVersion,
      kind: match.kind,
      plural: match.name,
      namespaced: match.namespaced,
    });
  }
  return resolved;
}
