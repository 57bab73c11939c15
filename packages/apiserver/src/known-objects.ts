import { objectKey, type KubeObject } from './kube-object.ts';
import type { ChangeType } from './to-cloudevent.ts';

/** A change to announce, and what found it: the watch, a relist after 410 Gone, or the first list. */
export interface Change {
  readonly type: ChangeType;
  readonly object: KubeObject;
  readonly origin: 'watch' | 'relist' | 'initial';
  /**
   * The object as remembered (the snapshot function's JSON). In Resource mode it is the whole
   * object: the event carries this very string, shared with the memory, so nothing is serialised
   * twice or held twice.
   */
  readonly snapshot: string;
}

interface Known {
  readonly uid: string;
  readonly resourceVersion: string;
  /** What the object looked like last (JSON), for a delete found only by a relist. */
  readonly snapshot: string;
}

/**
 * What one collection's watch has seen: per object its uid, resourceVersion and last state. A
 * relist is compared against it, so the adds, updates and deletes that happened while the watch
 * was gone are announced (Knative's reflector hands the relist to a no-op `Replace` and loses
 * them; the client's informer announces adds and deletes but not updates).
 */
export class KnownObjects {
  readonly #objects = new Map<string, Known>();
  readonly #snapshot: (object: KubeObject) => string;

  /** `snapshot` decides how much of an object is kept (all of it for Resource mode). */
  constructor(snapshot: (object: KubeObject) => string) {
    this.#snapshot = snapshot;
  }

  get size(): number {
    return this.#objects.size;
  }

  /** A watch event. A replay of a version already seen yields nothing. */
  observe(type: 'ADDED' | 'MODIFIED' | 'DELETED', object: KubeObject): Change[] {
    const key = objectKey(object);
    if (type === 'DELETED') {
      this.#objects.delete(key);
      return [{ type: 'delete', object, origin: 'watch', snapshot: this.#snapshot(object) }];
    }
    const known = this.#objects.get(key);
    if (known !== undefined && known.resourceVersion === object.metadata?.resourceVersion) return [];
    const snapshot = this.#remember(key, object);
    const change: Change = { type: type === 'ADDED' ? 'add' : 'update', object, origin: 'watch', snapshot };
    return this.#replaced(known, object)
      ? [this.#deleted(known as Known, 'watch'), { ...change, type: 'add' }]
      : [change];
  }

  /**
   * An object of a (re)list. On the first list nothing is announced unless `announce`; on a
   * relist, an unknown object is an add and a changed one an update (a new uid under the same
   * name: the old one was deleted and a new one added).
   */
  listed(object: KubeObject, first: boolean, announce: boolean): Change[] {
    const key = objectKey(object);
    const known = this.#objects.get(key);
    if (known !== undefined && known.resourceVersion === object.metadata?.resourceVersion) return [];
    const snapshot = this.#remember(key, object);
    if (known === undefined)
      return first && !announce
        ? []
        : [{ type: 'add', object, origin: first ? 'initial' : 'relist', snapshot }];
    if (this.#replaced(known, object))
      return [this.#deleted(known, 'relist'), { type: 'add', object, origin: 'relist', snapshot }];
    return [{ type: 'update', object, origin: 'relist', snapshot }];
  }

  /** After a complete relist: every known object it did not contain was deleted meanwhile. */
  vanished(listed: ReadonlySet<string>): Change[] {
    const changes: Change[] = [];
    for (const [key, known] of this.#objects) {
      if (listed.has(key)) continue;
      this.#objects.delete(key);
      changes.push(this.#deleted(known, 'relist'));
    }
    return changes;
  }

  #remember(key: string, object: KubeObject): string {
    const snapshot = this.#snapshot(object);
    this.#objects.set(key, {
      uid: object.metadata?.uid ?? '',
      resourceVersion: object.metadata?.resourceVersion ?? '',
      snapshot,
    });
    return snapshot;
  }

  #replaced(known: Known | undefined, object: KubeObject): boolean {
    return known !== undefined && known.uid !== '' && known.uid !== (object.metadata?.uid ?? '');
  }

  #deleted(known: Known, origin: Change['origin']): Change {
    return {
      type: 'delete',
      object: JSON.parse(known.snapshot) as KubeObject,
      origin,
      snapshot: known.snapshot,
    };
  }
}
