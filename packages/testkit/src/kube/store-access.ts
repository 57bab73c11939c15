import { mergePatch } from './patch.ts';
import type { ResourceDefinition, ResourceDefinitionInput, ResourceRegistry } from './registry.ts';
import { matchFields, matchLabels, parseFieldSelector, parseLabelSelector } from './selectors.ts';
import type { ObjectStore } from './store.ts';
import type { KubeObject, StoredObject } from './types.ts';
import { notFound } from './validation.ts';

/** Selectors for `list()` (same syntax as the query parameters). */
export interface ListFilter {
  labelSelector?: string;
  fieldSelector?: string;
}

/**
 * Direct access to the server's objects, without HTTP. Writes go through the same code as API
 * requests: they bump the resourceVersion, land in the history and reach open watches.
 * Errors are thrown as `KubeApiError`.
 */
export class KubeStoreAccess {
  protected readonly registry: ResourceRegistry;
  protected readonly store: ObjectStore;

  constructor(registry: ResourceRegistry, store: ObjectStore) {
    this.registry = registry;
    this.store = store;
  }

  /** Adds a resource (e.g. a custom resource); it shows up in discovery immediately. */
  registerResource(input: ResourceDefinitionInput): ResourceDefinition {
    return this.registry.register(input);
  }

  resources(): ResourceDefinition[] {
    return this.registry.all();
  }

  /** Current global resourceVersion. */
  get resourceVersion(): string {
    return String(this.store.resourceVersion);
  }

  /** Drops all history up to the current version; watches from older versions get 410 Expired. */
  compact(): string {
    return String(this.store.compact());
  }

  /** Creates from `apiVersion`/`kind`; a namespaced object without namespace goes to `default`. */
  create<T extends KubeObject = StoredObject>(obj: KubeObject): T {
    const def = this.registry.lookup(obj.apiVersion ?? 'v1', obj.kind ?? '');
    return this.store.create(def, obj) as unknown as T;
  }

  /** Replaces the whole object (status included); a stale `metadata.resourceVersion` throws 409. */
  update<T extends KubeObject = StoredObject>(obj: KubeObject): T {
    const def = this.registry.lookup(obj.apiVersion ?? 'v1', obj.kind ?? '');
    return this.store.replace(def, obj, 'all') as unknown as T;
  }

  /** Applies a JSON merge patch (status included). */
  patch<T extends KubeObject = StoredObject>(
    apiVersion: string,
    kindOrPlural: string,
    namespace: string | undefined,
    name: string,
    patch: unknown,
  ): T {
    const def = this.registry.lookup(apiVersion, kindOrPlural);
    const existing = this.store.get(def, namespace, name);
    if (!existing) throw notFound(def, name);
    return this.store.replace(def, mergePatch(existing, patch), 'all') as unknown as T;
  }

  /** Deletes (finalizers defer it; namespaces take their contents along); returns the last state. */
  delete<T extends KubeObject = StoredObject>(
    apiVersion: string,
    kindOrPlural: string,
    namespace: string | undefined,
    name: string,
  ): T {
    const def = this.registry.lookup(apiVersion, kindOrPlural);
    return this.store.remove(def, namespace, name, {}, this.cascadeFor(def)).object as unknown as T;
  }

  get<T extends KubeObject = StoredObject>(
    apiVersion: string,
    kindOrPlural: string,
    namespace: string | undefined,
    name: string,
  ): T | undefined {
    const def = this.registry.lookup(apiVersion, kindOrPlural);
    return this.store.get(def, namespace, name) as unknown as T | undefined;
  }

  /** Objects sorted by namespace/name; `namespace` undefined = all namespaces. */
  list<T extends KubeObject = StoredObject>(
    apiVersion: string,
    kindOrPlural: string,
    namespace?: string,
    filter: ListFilter = {},
  ): T[] {
    const def = this.registry.lookup(apiVersion, kindOrPlural);
    const labels = parseLabelSelector(filter.labelSelector);
    const allowed = ['metadata.name', 'metadata.namespace', ...def.fieldSelectors];
    const fields = parseFieldSelector(filter.fieldSelector, allowed);
    const items = this.store.list(def, namespace);
    return items.filter(
      (o) => matchLabels(labels, o.metadata.labels) && matchFields(fields, o),
    ) as unknown as T[];
  }

  /** Resources removed along with `def` objects (namespace contents). */
  protected cascadeFor(def: ResourceDefinition): ResourceDefinition[] {
    return def.key === '/v1/namespaces' ? this.registry.all().filter((d) => d.namespaced) : [];
  }
}
