import type { KubeApi } from './kube-client.ts';
import { withTypeMeta, type KubeList, type KubeObject } from './kube-object.ts';
import type { Collection } from './watch-plan.ts';

/** Built-in list items come without kind/apiVersion: filled in from the collection's resource. */
export function typedFor(collection: Collection, object: KubeObject): KubeObject {
  const { apiVersion, kind } = collection.resource;
  return withTypeMeta(object, apiVersion, kind);
}

/** The client-side namespace filter of a cluster-wide collection watching a set of namespaces. */
export function inCollection(collection: Collection, object: KubeObject): boolean {
  const namespaces = collection.namespaces;
  return namespaces === undefined || namespaces.has(object.metadata?.namespace ?? '');
}

export interface ListOptions {
  readonly pageSize: number;
  readonly signal: AbortSignal;
  /** List at exactly this version (`resourceVersionMatch=Exact`); undefined: the latest. */
  readonly exact?: string | undefined;
}

/**
 * Every page of the collection (client-go's pager: `limit`/`continue`), each item typed and
 * filtered, handed to `onItem` one at a time; resolves with the list's resourceVersion. Only the
 * first page names the version: apimachinery forbids `resourceVersionMatch` with `continue`,
 * whose token carries it (client-go's pager clears both for the next pages).
 */
export async function listCollection(
  api: KubeApi,
  collection: Collection,
  options: ListOptions,
  onItem: (object: KubeObject) => unknown,
): Promise<string> {
  const { exact, pageSize, signal } = options;
  let next: string | undefined;
  let resourceVersion = exact ?? '';
  do {
    const at =
      next === undefined && exact !== undefined
        ? { resourceVersion: exact, resourceVersionMatch: 'Exact' }
        : {};
    const page = await api.getJson<KubeList>(
      collection.path,
      { labelSelector: collection.selector || undefined, limit: pageSize, continue: next, ...at },
      signal,
    );
    resourceVersion = page.metadata?.resourceVersion ?? resourceVersion;
    for (const item of page.items ?? []) {
      const object = typedFor(collection, item);
      if (inCollection(collection, object)) await onItem(object);
    }
    next = page.metadata?.continue || undefined;
  } while (next !== undefined);
  return resourceVersion;
}
