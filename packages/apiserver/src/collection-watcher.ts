import type { Logger } from '@tributary/core';
import { Backoff } from './backoff.ts';
import type { ChangeHandler } from './change-handler.ts';
import { inCollection, listCollection, typedFor } from './collection-list.ts';
import type { DeliveredVersion, Settle } from './delivered-version.ts';
import { KubeApiError, type KubeApi } from './kube-client.ts';
import { KnownObjects, type Change } from './known-objects.ts';
import { objectKey, type KubeObject, type WatchEvent } from './kube-object.ts';
import type { WatchMetrics } from './metrics.ts';
import type { Collection } from './watch-plan.ts';
import { watchEvents } from './watch-stream.ts';

export interface WatcherOptions {
  readonly api: KubeApi;
  readonly collection: Collection;
  /** Takes a change; may wait (a full queue), which pauses reading the watch. */
  readonly onChange: ChangeHandler;
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
  /** Kept up to date with the version up to which every change has been delivered. */
  readonly delivered: DeliveredVersion;
  /** The version a previous leader delivered up to (its handover note): resume from there. */
  readonly resumeFrom?: string | undefined;
}

/** No data for this long while waiting on an open watch: reconnect (servers send bookmarks about once a minute). */
const IDLE_TIMEOUT_MS = 150_000;

/**
 * List, then watch from the list's resourceVersion, for one collection, until `signal` aborts.
 * A watch that ends or fails is re-opened from the last version seen (with backoff after
 * failures), so nothing is replayed or missed; `410 Gone` means that version is compacted away:
 * relist and announce the difference (KnownObjects). With `resumeFrom` (a graceful handover), the
 * first list is taken at exactly that version and the watch starts there, so every change the
 * previous leader did not deliver is announced. Resolves `forbidden` when the first list is
 * refused and the collection has a per-namespace fallback.
 */
export class CollectionWatcher {
  readonly #options: WatcherOptions;
  readonly #known: KnownObjects;
  readonly #backoff: Backoff;
  /** Last version processed; undefined = (re)list needed. */
  #resourceVersion: string | undefined;
  /** Still to be resumed from (cleared once listed there, or given up on). */
  #resumeFrom: string | undefined;
  #synced = false;

  constructor(options: WatcherOptions) {
    this.#options = options;
    this.#known = new KnownObjects(options.snapshot);
    this.#backoff = new Backoff(200, options.backoffMaxMs);
    this.#resumeFrom = options.resumeFrom;
  }

  async run(): Promise<'stopped' | 'forbidden'> {
    const { signal, collection, logger, metrics } = this.#options;
    while (!signal.aborted) {
      try {
        if (this.#resumeFrom !== undefined) await this.#resume(this.#resumeFrom);
        else if (this.#resourceVersion === undefined) await this.#relist();
        await this.#watch();
        metrics.restart('ended');
      } catch (error) {
        if (signal.aborted) break;
        if (!this.#synced && error instanceof KubeApiError && error.code === 403 && collection.fallback)
          return 'forbidden';
        if (this.#resumeFrom !== undefined && cannotResume(error)) {
          this.#giveUpResume(this.#resumeFrom, error as KubeApiError);
          continue;
        }
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

  /**
   * The state at the handed-over version, remembered without announcing anything (the previous
   * leader announced it); the watch then starts there. A 410 from that watch is a normal
   * expired version: relisted and reconciled against this state, so nothing is lost either.
   */
  async #resume(from: string): Promise<void> {
    const { collection, logger, metrics } = this.#options;
    this.#options.onState(false, 'listing at the version handed over');
    metrics.relist('handover');
    await this.#list(from, (object) => void this.#known.listed(object, true, false));
    this.#resumeFrom = undefined;
    this.#resourceVersion = from;
    this.#synced = true;
    metrics.handover('resumed');
    logger.info(
      { watch: collection.id, resourceVersion: from, objects: this.#known.size },
      'resuming from the handover: watching from the version the previous leader delivered up to',
    );
  }

  /**
   * The handed-over version is gone (410) or the server refuses an exact list (4xx): start as a
   * new leader does. Whatever the exact list already remembered is reconciled by that first list.
   */
  #giveUpResume(from: string, error: KubeApiError): void {
    const { collection, logger, metrics } = this.#options;
    this.#resumeFrom = undefined;
    metrics.handover('gap');
    logger.warn(
      { watch: collection.id, resourceVersion: from, code: error.code, reason: error.message },
      'cannot resume from the handover: starting from the current state; changes made since the previous leader stopped may be missed',
    );
  }

  async #relist(): Promise<void> {
    const { metrics, sendInitial } = this.#options;
    const first = !this.#synced;
    this.#options.onState(false, first ? 'initial list' : 'relisting after 410 Gone');
    metrics.relist(first ? 'start' : 'expired');
    const listed = new Set<string>();
    const batch = this.#options.delivered.open();
    let reached: string | undefined;
    try {
      const resourceVersion = await this.#list(undefined, async (object) => {
        listed.add(objectKey(object));
        await this.#announce(this.#known.listed(object, first, sendInitial), batch.track);
      });
      await this.#announce(this.#known.vanished(listed), batch.track);
      reached = resourceVersion;
    } finally {
      // A list cut short still holds back the delivered version until what it queued is delivered.
      this.#options.delivered.seal(batch, reached);
    }
    this.#resourceVersion = reached;
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
    const version = event.object.metadata?.resourceVersion;
    let changes: Change[] = [];
    if (event.type !== 'BOOKMARK') {
      const object = typedFor(this.#options.collection, event.object);
      if (inCollection(this.#options.collection, object)) changes = this.#known.observe(event.type, object);
    }
    await this.#queueAt(changes, version);
    // Events flow again: the next failure starts its backoff from the beginning.
    this.#backoff.reset();
    this.#resourceVersion = version ?? this.#resourceVersion;
  }

  /** Queues the changes of one read position; once they are delivered, the collection is delivered up to `version`. */
  async #queueAt(changes: readonly Change[], version: string | undefined): Promise<void> {
    const { delivered } = this.#options;
    if (changes.length === 0) {
      if (version !== undefined) delivered.reached(version);
      return;
    }
    const batch = delivered.open();
    let queued = false;
    try {
      await this.#announce(changes, batch.track);
      queued = true;
    } finally {
      // Not all queued (it threw): the position must never count as delivered.
      if (!queued) batch.track()(false);
      delivered.seal(batch, version);
    }
  }

  #list(exact: string | undefined, onItem: (object: KubeObject) => unknown): Promise<string> {
    const { api, collection, pageSize, signal } = this.#options;
    return listCollection(api, collection, { pageSize, signal, exact }, onItem);
  }

  async #announce(changes: readonly Change[], track: () => Settle): Promise<void> {
    for (const change of changes) await this.#options.onChange(change, this.#options.collection, track());
  }
}

/** A handed-over version that cannot be listed: compacted away (410) or refused by the server (400, 422). */
function cannotResume(error: unknown): boolean {
  return error instanceof KubeApiError && (error.code === 410 || error.code === 400 || error.code === 422);
}
