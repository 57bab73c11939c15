import type { Logger } from '@tributary/core';
import { Backoff } from './backoff.ts';
import { KubeApiError, type KubeApi } from './kube-client.ts';
import { KnownObjects, type Change } from './known-objects.ts';
import { objectKey, withTypeMeta, type KubeList, type KubeObject, type WatchEvent } from './kube-object.ts';
import type { WatchMetrics } from './metrics.ts';
import type { Collection } from './watch-plan.ts';
import { watchEvents } from './watch-stream.ts';

export interface WatcherOptions {
  readonly api: KubeApi;
  readonly collection: Collection;
  /** Takes a change; may wait (a full queue), which pauses reading the watch. */
  readonly onChange: (change: Change, collection: Collection) => Promise<void>;
  /** `up`: synced and the watch is open. */
  readonly onState: (up: boolean, reason: string) => void;
  readonly snapshot: (object: KubeObject) => string;
  readonly sendInitial: boolean;
  readonly failFast: boolean;
  readonly pageSize: number;
  readonly backoffMaxMs: number;
  readonly logger: Logger;
  readonly metrics: WatchMetrics;
  readonly signal: AbortSignal;
}

/** No data for this long while waiting on an open watch: reconnect (servers send bookmarks about once a minute). */
const IDLE_TIMEOUT_MS = 150_000;

/**
 * List, then watch from the list's resourceVersion, for one collection, until `signal` aborts.
 * A watch that ends or fails is re-opened from the last version seen (with backoff after
 * failures), so nothing is replayed or missed; `410 Gone` means that version is compacted away:
 * relist and announce the difference (KnownObjects). Resolves `forbidden` when the first list is
 * refused and the collection has a per-namespace fallback.
 */
export class CollectionWatcher {
  readonly #options: WatcherOptions;
  readonly #known: KnownObjects;
  readonly #backoff: Backoff;
  /** Last version processed; undefined = (re)list needed. */
  #resourceVersion: string | undefined;
  #synced = false;

  constructor(options: WatcherOptions) {
    this.#options = options;
    this.#known = new KnownObjects(options.snapshot);
    this.#backoff = new Backoff(200, options.backoffMaxMs);
  }

  async run(): Promise<'stopped' | 'forbidden'> {
    const { signal, collection, logger, metrics } = this.#options;
    while (!signal.aborted) {
      try {
        if (this.#resourceVersion === undefined) await this.#relist();
        await this.#watch();
        metrics.restart('ended');
      } catch (error) {
        if (signal.aborted) break;
        if (!this.#synced && error instanceof KubeApiError && error.code === 403 && collection.fallback)
          return 'forbidden';
        if (error instanceof KubeApiError && error.code === 410) {
          // The version we hold is compacted away: relist at once and reconcile.
          metrics.restart('expired');
          this.#resourceVersion = undefined;
          logger.info({ watch: collection.id }, 'resource version expired (410 Gone): relisting');
          continue;
        }
        // Knative's failFast: a watch that cannot be kept up stops the adapter.
        if (this.#options.failFast) throw error;
        metrics.restart(error instanceof KubeApiError ? `status_${error.code}` : 'error');
        const reason = (error as Error).message;
        this.#options.onState(false, `watch down: ${reason}`);
        logger.warn({ watch: collection.id, err: error }, 'watch failed: reconnecting');
        if (!(await this.#backoff.wait(signal))) break;
      }
    }
    return 'stopped';
  }

  async #relist(): Promise<void> {
    const { api, collection, pageSize, signal, metrics } = this.#options;
    const first = !this.#synced;
    this.#options.onState(false, first ? 'initial list' : 'relisting after 410 Gone');
    metrics.relist(first ? 'start' : 'expired');
    const listed = new Set<string>();
    let next: string | undefined;
    let resourceVersion = '';
    do {
      const page = await api.getJson<KubeList>(
        collection.path,
        { labelSelector: collection.selector || undefined, limit: pageSize, continue: next },
        signal,
      );
      resourceVersion = page.metadata?.resourceVersion ?? resourceVersion;
      for (const item of page.items ?? []) {
        const object = this.#typed(item);
        if (!this.#accepts(object)) continue;
        listed.add(objectKey(object));
        await this.#announce(this.#known.listed(object, first, this.#options.sendInitial));
      }
      next = page.metadata?.continue || undefined;
    } while (next !== undefined);
    await this.#announce(this.#known.vanished(listed));
    this.#resourceVersion = resourceVersion;
    this.#synced = true;
  }

  async #watch(): Promise<void> {
    const { api, collection, signal } = this.#options;
    // client-go asks the server to end each watch after a random 5–10 minutes.
    const timeoutSeconds = 300 + Math.floor(Math.random() * 300);
    const body = await api.openStream(
      collection.path,
      {
        watch: true,
        resourceVersion: this.#resourceVersion,
        allowWatchBookmarks: true,
        labelSelector: collection.selector || undefined,
        timeoutSeconds,
      },
      signal,
    );
    const opened = Date.now();
    this.#options.onState(true, 'watching');
    for await (const event of watchEvents(body, IDLE_TIMEOUT_MS)) await this.#handle(event);
    // A watch the server ends at once, over and over, must not turn into a busy loop.
    if (Date.now() - opened < 1000) await this.#backoff.wait(signal);
    else this.#backoff.reset();
  }

  async #handle(event: WatchEvent): Promise<void> {
    if (event.type === 'ERROR') {
      const status = event.object as { code?: number; reason?: string; message?: string };
      throw new KubeApiError(status.code ?? 500, status.reason ?? 'Unknown', status.message ?? 'watch error');
    }
    if (event.type !== 'BOOKMARK') {
      const object = this.#typed(event.object);
      if (this.#accepts(object)) await this.#announce(this.#known.observe(event.type, object));
    }
    // Events flow again: the next failure starts its backoff from the beginning.
    this.#backoff.reset();
    this.#resourceVersion = event.object.metadata?.resourceVersion ?? this.#resourceVersion;
  }

  async #announce(changes: readonly Change[]): Promise<void> {
    for (const change of changes) await this.#options.onChange(change, this.#options.collection);
  }

  #typed(object: KubeObject): KubeObject {
    const { apiVersion, kind } = this.#options.collection.resource;
    return withTypeMeta(object, apiVersion, kind);
  }

  #accepts(object: KubeObject): boolean {
    const namespaces = this.#options.collection.namespaces;
    return namespaces === undefined || namespaces.has(object.metadata?.namespace ?? '');
  }
}
