/** The parts of a Kubernetes object the adapter reads; everything else travels untouched. */
export interface OwnerReference {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly name?: string;
  readonly uid?: string;
  readonly controller?: boolean;
}

export interface ObjectMeta {
  readonly name?: string;
  readonly namespace?: string;
  readonly uid?: string;
  readonly resourceVersion?: string;
  readonly ownerReferences?: readonly OwnerReference[];
  readonly [field: string]: unknown;
}

export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
  [field: string]: unknown;
}

export interface KubeList {
  readonly metadata?: { readonly resourceVersion?: string; readonly continue?: string };
  readonly items?: KubeObject[];
}

/** A watch line: `{"type": "ADDED", "object": {...}}`. */
export interface WatchEvent {
  readonly type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  readonly object: KubeObject;
}

/** `<namespace>/<name>` (`/<name>` for cluster-scoped objects): unique within one collection. */
export function objectKey(object: KubeObject): string {
  return `${object.metadata?.namespace ?? ''}/${object.metadata?.name ?? ''}`;
}

/**
 * Items of a typed list (built-in resources) come without `kind`/`apiVersion`, as from a real
 * API server; client-go's unstructured decoding fills them in from the list, and so do we.
 */
export function withTypeMeta(object: KubeObject, apiVersion: string, kind: string): KubeObject {
  if (object.kind !== undefined && object.apiVersion !== undefined) return object;
  // Keep kind/apiVersion first, as the API server serialises them.
  const { kind: _k, apiVersion: _a, ...rest } = object;
  return { kind: object.kind ?? kind, apiVersion: object.apiVersion ?? apiVersion, ...rest };
}

/** The ownerReference with `controller: true` (apimachinery's `GetControllerOf`). */
export function controllerOf(object: KubeObject): OwnerReference | undefined {
  return object.metadata?.ownerReferences?.find((ref) => ref.controller === true);
}
