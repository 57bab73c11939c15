import type { ResolvedResource } from './discovery.ts';
import type { SourceConfig } from './source-config.ts';

/** One list+watch: a resource in one namespace, or across the cluster filtered to a set of namespaces. */
export interface Collection {
  /** For logs, readiness reasons and queue keys: `v1/pods in team-a`, `v1/pods (cluster-wide)`. */
  readonly id: string;
  readonly resource: ResolvedResource;
  /** URL path of the collection, e.g. `/api/v1/namespaces/team-a/pods`. */
  readonly path: string;
  /** Label selector sent with the list and the watch ('' = everything). */
  readonly selector: string;
  /** Namespaces kept by the client-side filter; undefined keeps all. */
  readonly namespaces: ReadonlySet<string> | undefined;
  /** Per-namespace collections to use instead when the cluster-wide list is forbidden (namespace-scoped RBAC). */
  readonly fallback?: readonly Collection[] | undefined;
}

/**
 * Which watches to open. Knative opens one reflector per resource per namespace, so 200
 * namespaces × 5 resources meant 1,000 watches, missed updates (#8675) and minutes of client-side
 * throttling at start (#8642). Here a namespaced resource gets one watch per namespace only up to
 * `namespaceWatchLimit` namespaces; above that (or with `allNamespaces`) it gets one cluster-wide
 * watch whose events are filtered to the configured namespaces. Cluster-scoped resources always
 * get one watch.
 */
export function planCollections(
  resources: readonly ResolvedResource[],
  source: SourceConfig,
  namespaceWatchLimit: number,
): Collection[] {
  const plan: Collection[] = [];
  for (const resource of resources) {
    const selector = resource.spec.selector;
    if (!resource.namespaced || source.allNamespaces) {
      plan.push(clusterWide(resource, selector, undefined));
      continue;
    }
    const perNamespace = source.namespaces.map((namespace) => ({
      id: `${resource.apiVersion}/${resource.plural} in ${namespace}`,
      resource,
      path: collectionPath(resource, namespace),
      selector,
      namespaces: undefined,
    }));
    if (source.namespaces.length <= namespaceWatchLimit) plan.push(...perNamespace);
    else
      plan.push({ ...clusterWide(resource, selector, new Set(source.namespaces)), fallback: perNamespace });
  }
  return plan;
}

function clusterWide(
  resource: ResolvedResource,
  selector: string,
  namespaces: ReadonlySet<string> | undefined,
): Collection {
  const scope = namespaces === undefined ? 'cluster-wide' : `cluster-wide, ${namespaces.size} namespaces`;
  return {
    id: `${resource.apiVersion}/${resource.plural} (${scope})`,
    resource,
    path: collectionPath(resource, undefined),
    selector,
    namespaces,
  };
}

/** `/api/v1/pods`, `/api/v1/namespaces/<ns>/pods`, `/apis/<group>/<version>[/namespaces/<ns>]/<plural>`. */
export function collectionPath(resource: ResolvedResource, namespace: string | undefined): string {
  const base =
    resource.group === '' ? `/api/${resource.version}` : `/apis/${resource.group}/${resource.version}`;
  const scope = namespace === undefined ? '' : `/namespaces/${encodeURIComponent(namespace)}`;
  return `${base}${scope}/${resource.plural}`;
}
