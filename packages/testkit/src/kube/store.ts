import { randomUUID } from 'node:crypto';
import { deepEqual, isJsonObject, toJson } from './json.ts';
import type { ResourceDefinition } from './registry.ts';
import { KubeApiError } from './types.ts';
import { checkMicroTimes, conflict, notFound } from './validation.ts';
import type { JsonObject, StoredObject } from './types.ts';

/** One committed change, as kept in the history (objects are never mutated after commit). */
export interface StoreEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  rv: number;
  def: ResourceDefinition;
  /** The new state; for DELETED the last state carrying the deletion resourceVersion. */
  object: StoredObject;
  /** The state before the change (absent for ADDED). */
  prev?: StoredObject;
}

export type StoreListener = (event: StoreEvent) => void;

/** How `replace` treats the incoming object. */
export type ReplaceMode = 'all' | 'main' | 'status';

export interface ObjectStoreOptions {
  /** Max events kept for watch replay; older ones are compacted away. Default 10000. */
  historyLimit?: number;
}

const NAME_CHARS = 'bcdfghjklmnpqrstvwxz2456789';

function now(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function objectKey(namespace: string | undefined, name: string): string {
  return `${namespace ?? ''}/${name}`;
}

function stripMeta(obj: JsonObject): JsonObject {
  const { metadata: _m, status: _s, ...rest } = obj;
  return rest;
}

/** In-memory object store with one global, etcd-like resourceVersion and a replayable history. */
export class ObjectStore {
  readonly #objects = new Map<string, Map<string, StoredObject>>();
  readonly #listeners = new Set<StoreListener>();
  #history: StoreEvent[] = [];
  #rv = 1;
  #compacted = 1;
  readonly #historyLimit: number;

  constructor(options: ObjectStoreOptions = {}) {
    this.#historyLimit = options.historyLimit ?? 10_000;
  }

  /** Current (latest committed) resourceVersion. */
  get resourceVersion(): number {
    return this.#rv;
  }

  /** Oldest version a watch may start from; older ones are answered with 410 Expired. */
  get oldestResourceVersion(): number {
    return this.#compacted;
  }

  subscribe(listener: StoreListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #bucket(def: ResourceDefinition): Map<string, StoredObject> {
    let bucket = this.#objects.get(def.key);
    if (!bucket) {
      bucket = new Map();
      this.#objects.set(def.key, bucket);
    }
    return bucket;
  }

  get(def: ResourceDefinition, namespace: string | undefined, name: string): StoredObject | undefined {
    const obj = this.#bucket(def).get(objectKey(def.namespaced ? namespace : '', name));
    return obj ? toJson(obj) : undefined;
  }

  /** Current objects sorted by namespace/name; `namespace` undefined = all namespaces. */
  list(def: ResourceDefinition, namespace?: string): StoredObject[] {
    return this.#sorted(this.#bucket(def), def, namespace);
  }

  /** The objects as they were at `rv` (consistent snapshot rebuilt from history). */
  listAt(def: ResourceDefinition, rv: number, namespace?: string): StoredObject[] {
    if (rv >= this.#rv) return this.list(def, namespace);
    if (rv < this.#compacted) throw this.expired(rv);
    const state = new Map(this.#bucket(def));
    for (let i = this.#history.length - 1; i >= 0; i--) {
      const ev = this.#history[i];
      if (!ev || ev.rv <= rv) break;
      if (ev.def.key !== def.key) continue;
      const key = objectKey(ev.object.metadata.namespace, ev.object.metadata.name);
      if (ev.prev) state.set(key, ev.prev);
      else state.delete(key);
    }
    return this.#sorted(state, def, namespace);
  }

  #sorted(bucket: Map<string, StoredObject>, def: ResourceDefinition, namespace?: string): StoredObject[] {
    const keys = [...bucket.keys()].sort();
    const out: StoredObject[] = [];
    for (const key of keys) {
      const obj = bucket.get(key);
      if (!obj) continue;
      if (def.namespaced && namespace !== undefined && obj.metadata.namespace !== namespace) continue;
      out.push(toJson(obj));
    }
    return out;
  }

  /** Committed events with resourceVersion > rv, oldest first. Callers check `oldestResourceVersion`. */
  eventsAfter(rv: number): StoreEvent[] {
    return this.#history.filter((ev) => ev.rv > rv);
  }

  expired(rv: number): KubeApiError {
    return new KubeApiError(410, `too old resource version: ${rv} (${this.#compacted})`, 'Expired');
  }

  /** Drops history up to `rv` (default: everything). Returns the new oldest valid version. */
  compact(rv: number = this.#rv): number {
    const upTo = Math.min(rv, this.#rv);
    this.#history = this.#history.filter((ev) => ev.rv > upTo);
    this.#compacted = Math.max(this.#compacted, upTo);
    return this.#compacted;
  }

  #commit(event: Omit<StoreEvent, 'rv'>, rv: number): void {
    const full: StoreEvent = { ...event, rv };
    const bucket = this.#bucket(event.def);
    const key = objectKey(event.object.metadata.namespace, event.object.metadata.name);
    if (event.type === 'DELETED') bucket.delete(key);
    else bucket.set(key, event.object);
    this.#history.push(full);
    while (this.#history.length > this.#historyLimit) {
      const dropped = this.#history.shift();
      if (dropped) this.#compacted = Math.max(this.#compacted, dropped.rv);
    }
    for (const listener of [...this.#listeners]) listener(full);
  }

  #normalize(def: ResourceDefinition, input: unknown): StoredObject {
    if (!isJsonObject(input)) throw new KubeApiError(400, 'the request body must be a JSON object');
    const obj = toJson(input);
    if (obj.kind !== undefined && obj.kind !== def.kind) {
      throw new KubeApiError(
        400,
        `the kind in the data (${String(obj.kind)}) does not match the expected kind (${def.kind})`,
      );
    }
    if (obj.apiVersion !== undefined && obj.apiVersion !== def.apiVersion) {
      throw new KubeApiError(
        400,
        `the API version in the data (${String(obj.apiVersion)}) does not match the expected API version (${def.apiVersion})`,
      );
    }
    if (obj.metadata !== undefined && !isJsonObject(obj.metadata))
      throw new KubeApiError(400, 'metadata must be an object');
    checkMicroTimes(def, obj);
    const metadata = (obj.metadata ?? {}) as StoredObject['metadata'];
    // Put kind/apiVersion first, like the real server's serialization.
    return { kind: def.kind, apiVersion: def.apiVersion, ...obj, metadata } as StoredObject;
  }

  create(
    def: ResourceDefinition,
    input: unknown,
    options: { rejectResourceVersion?: boolean } = {},
  ): StoredObject {
    const obj = this.#normalize(def, input);
    const meta = obj.metadata;
    if (!meta.name) {
      const prefix = typeof meta.generateName === 'string' ? meta.generateName : '';
      if (!prefix)
        throw new KubeApiError(
          422,
          `${def.kind} "" is invalid: metadata.name: Required value: name or generateName is required`,
          'Invalid',
          { group: def.group, kind: def.kind },
        );
      let suffix = '';
      for (let i = 0; i < 5; i++) suffix += NAME_CHARS[Math.floor(Math.random() * NAME_CHARS.length)];
      meta.name = prefix + suffix;
    }
    if (def.namespaced) meta.namespace = meta.namespace || 'default';
    else delete meta.namespace;
    if (meta.resourceVersion) {
      if (options.rejectResourceVersion)
        throw new KubeApiError(
          500,
          'resourceVersion should not be set on objects to be created',
          'InternalError',
        );
      delete (meta as JsonObject).resourceVersion;
    }
    delete meta.deletionTimestamp;
    const bucket = this.#bucket(def);
    if (bucket.has(objectKey(meta.namespace, meta.name))) {
      throw new KubeApiError(409, `${def.qualifiedName} "${meta.name}" already exists`, 'AlreadyExists', {
        name: meta.name,
        group: def.group,
        kind: def.plural,
      });
    }
    const rv = this.#rv + 1;
    meta.uid = randomUUID();
    meta.creationTimestamp = now();
    meta.generation = 1;
    meta.resourceVersion = String(rv);
    if (def.key === '/v1/namespaces') {
      obj.spec = { finalizers: ['kubernetes'], ...(isJsonObject(obj.spec) ? obj.spec : {}) };
      obj.status = { phase: 'Active', ...(isJsonObject(obj.status) ? obj.status : {}) };
    }
    this.#rv = rv;
    this.#commit({ type: 'ADDED', def, object: obj }, rv);
    return toJson(obj);
  }

  replace(def: ResourceDefinition, input: unknown, mode: ReplaceMode = 'all'): StoredObject {
    const obj = this.#normalize(def, input);
    const name = obj.metadata.name;
    if (!name)
      throw new KubeApiError(
        422,
        `${def.kind} "" is invalid: metadata.name: Required value: name is required`,
        'Invalid',
      );
    const bucket = this.#bucket(def);
    const key = objectKey(def.namespaced ? obj.metadata.namespace || 'default' : '', name);
    const existing = bucket.get(key);
    if (!existing) throw notFound(def, name);
    const wanted = obj.metadata.resourceVersion;
    if (wanted && wanted !== existing.metadata.resourceVersion) throw conflict(def, name);

    let next: StoredObject;
    if (mode === 'status') {
      next = toJson(existing);
      if (obj.status === undefined) delete next.status;
      else next.status = obj.status;
    } else {
      next = obj;
      if (mode === 'main' && def.statusSubresource) {
        if (existing.status === undefined) delete next.status;
        else next.status = toJson(existing.status);
      }
    }
    const keep = existing.metadata;
    next.metadata.name = keep.name;
    if (def.namespaced) next.metadata.namespace = keep.namespace;
    else delete next.metadata.namespace;
    next.metadata.uid = keep.uid;
    next.metadata.creationTimestamp = keep.creationTimestamp;
    if (keep.deletionTimestamp) next.metadata.deletionTimestamp = keep.deletionTimestamp;
    else delete next.metadata.deletionTimestamp;
    next.metadata.generation = deepEqual(stripMeta(next), stripMeta(existing))
      ? keep.generation
      : keep.generation + 1;
    next.metadata.resourceVersion = keep.resourceVersion;
    if (deepEqual(next, existing)) return toJson(existing);

    const rv = this.#rv + 1;
    next.metadata.resourceVersion = String(rv);
    this.#rv = rv;
    this.#commit({ type: 'MODIFIED', def, object: next, prev: existing }, rv);
    // Removing the last finalizer of an object being deleted completes the deletion.
    if (next.metadata.deletionTimestamp && !next.metadata.finalizers?.length) this.#forceDelete(def, next);
    return toJson(next);
  }

  /**
   * Deletes an object. With finalizers present only `deletionTimestamp` is set (MODIFIED) and
   * `deleted` is false; the object goes away once an update empties the finalizers.
   */
  remove(
    def: ResourceDefinition,
    namespace: string | undefined,
    name: string,
    preconditions: { uid?: string; resourceVersion?: string } = {},
    cascade: readonly ResourceDefinition[] = [],
  ): { object: StoredObject; deleted: boolean } {
    const bucket = this.#bucket(def);
    const existing = bucket.get(objectKey(def.namespaced ? namespace || 'default' : '', name));
    if (!existing) throw notFound(def, name);
    if (preconditions.uid && preconditions.uid !== existing.metadata.uid) {
      throw conflict(
        def,
        name,
        `Precondition failed: UID in precondition: ${preconditions.uid}, UID in object meta: ${existing.metadata.uid}`,
      );
    }
    if (
      preconditions.resourceVersion &&
      preconditions.resourceVersion !== existing.metadata.resourceVersion
    ) {
      throw conflict(
        def,
        name,
        `Precondition failed: ResourceVersion in precondition: ${preconditions.resourceVersion}, ResourceVersion in object meta: ${existing.metadata.resourceVersion}`,
      );
    }
    if (existing.metadata.finalizers?.length) {
      if (existing.metadata.deletionTimestamp) return { object: toJson(existing), deleted: false };
      const next = toJson(existing);
      const rv = this.#rv + 1;
      next.metadata.deletionTimestamp = now();
      next.metadata.deletionGracePeriodSeconds = 0;
      next.metadata.resourceVersion = String(rv);
      this.#rv = rv;
      this.#commit({ type: 'MODIFIED', def, object: next, prev: existing }, rv);
      return { object: toJson(next), deleted: false };
    }
    // Namespace deletion removes its contents first (synchronously, unlike the real controller).
    for (const inner of cascade) {
      for (const obj of this.list(inner, name)) this.#forceDelete(inner, obj);
    }
    return { object: this.#forceDelete(def, existing), deleted: true };
  }

  #forceDelete(def: ResourceDefinition, existing: StoredObject): StoredObject {
    const rv = this.#rv + 1;
    const last = toJson(existing);
    last.metadata.resourceVersion = String(rv);
    this.#rv = rv;
    this.#commit({ type: 'DELETED', def, object: last, prev: existing }, rv);
    return toJson(last);
  }
}
