import type { AdapterContext } from '@tributary/core';
import { Backoff } from './backoff.ts';
import { createChangeHandler, snapshotFor } from './change-handler.ts';
import { CollectionWatcher } from './collection-watcher.ts';
import type { ApiServerConfig } from './config.ts';
import { DeliveryQueue } from './delivery-queue.ts';
import { resolveResources, UnknownResourceError, type ResolvedResource } from './discovery.ts';
import { keepYoungGenerationCompact } from './heap.ts';
import { loadKubeConfig } from '@tributary/kube';
import { KubeApi } from './kube-client.ts';
import type { Change } from './known-objects.ts';
import { createApiServerMetrics, type ApiServerMetrics } from './metrics.ts';
import { ReadinessTracker } from './readiness.ts';
import { planCollections, type Collection } from './watch-plan.ts';

type Context = AdapterContext<ApiServerConfig>;

interface CollectionsRun {
  readonly api: KubeApi;
  readonly collections: readonly Collection[];
  readonly onChange: (change: Change, collection: Collection) => Promise<void>;
  readonly readiness: ReadinessTracker;
  readonly metrics: ApiServerMetrics;
}

/**
 * The adapter's intake: discover the resources, open the planned watches, turn their changes
 * into events queued for delivery, and on SIGTERM stop reading and deliver what is queued.
 */
export async function runApiServerSource(ctx: Context): Promise<void> {
  const { config, logger, signal } = ctx;
  if (config.compactHeap) keepYoungGenerationCompact();
  const api = new KubeApi(loadKubeConfig(config.kube));
  const metrics = createApiServerMetrics(ctx.metrics);
  const readiness = new ReadinessTracker(ctx.setReady, metrics.watches);
  const queue = new DeliveryQueue({
    capacity: config.queueSize,
    concurrency: config.concurrency,
    send: ctx.emit,
    redelivery: { initialMs: 1000, maxMs: config.backoffMaxMs },
    metrics,
    logger,
  });
  // A watch waiting for room in a full queue must not hold up shutdown.
  const closeQueue = () => queue.close();
  signal.addEventListener('abort', closeQueue, { once: true });
  try {
    const resources = await discover(ctx, api, readiness);
    if (resources === undefined) return;
    const collections = planCollections(resources, config.source, config.namespaceWatchLimit);
    logger.info(
      { server: api.server, mode: config.source.mode, watches: collections.map((c) => c.id) },
      'watching',
    );
    const onChange = createChangeHandler({ config: config.source, source: api.server, queue, metrics });
    await runCollections(ctx, { api, collections, onChange, readiness, metrics });
  } finally {
    signal.removeEventListener('abort', closeQueue);
    queue.close();
    await queue.drain();
    await api.close();
  }
}

/** Discovery, retried while the API server is unreachable; an unknown resource ends the start. */
async function discover(
  ctx: Context,
  api: KubeApi,
  readiness: ReadinessTracker,
): Promise<ResolvedResource[] | undefined> {
  const backoff = new Backoff(200, ctx.config.backoffMaxMs);
  for (;;) {
    try {
      return await resolveResources(api, ctx.config.source.resources, ctx.signal);
    } catch (error) {
      if (error instanceof UnknownResourceError || ctx.config.source.failFast) throw error;
      if (ctx.signal.aborted) return undefined;
      readiness.phase(`API discovery failed: ${(error as Error).message}`);
      ctx.logger.warn({ err: error }, 'API discovery failed: retrying');
      if (!(await backoff.wait(ctx.signal))) return undefined;
    }
  }
}

/**
 * Runs one CollectionWatcher per collection until the signal aborts. A cluster-wide watch whose
 * first list is forbidden (the service account only has Roles in the listed namespaces) is
 * replaced by its per-namespace watches. With failFast, a failing watch stops all of them.
 */
async function runCollections(ctx: Context, parts: CollectionsRun): Promise<void> {
  const { api, onChange, readiness, metrics } = parts;
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  ctx.signal.addEventListener('abort', onAbort, { once: true });
  const run = async (collection: Collection): Promise<void> => {
    readiness.add(collection.id);
    const watcher = new CollectionWatcher({
      api,
      collection,
      onChange,
      onState: (up, reason) => readiness.set(collection.id, up, reason),
      snapshot: snapshotFor(ctx.config.source.mode),
      sendInitial: ctx.config.sendInitial,
      failFast: ctx.config.source.failFast,
      pageSize: ctx.config.listPageSize,
      backoffMaxMs: ctx.config.backoffMaxMs,
      logger: ctx.logger,
      metrics,
      signal: stop.signal,
    });
    try {
      if ((await watcher.run()) === 'forbidden' && collection.fallback) {
        ctx.logger.warn(
          { watch: collection.id },
          'cluster-wide list forbidden: watching each namespace instead',
        );
        readiness.remove(collection.id);
        await Promise.all(collection.fallback.map(run));
      }
    } catch (error) {
      stop.abort();
      throw error;
    }
  };
  try {
    // Wait for every watcher to stop before reporting a failure, so none outlives the queue.
    const results = await Promise.allSettled(parts.collections.map(run));
    const failure = results.find((result) => result.status === 'rejected');
    if (failure !== undefined) throw failure.reason;
  } finally {
    ctx.signal.removeEventListener('abort', onAbort);
  }
}
