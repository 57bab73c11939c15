import { traceEach, type AdapterContext } from '@tributary/core';
import { Backoff } from './backoff.ts';
import { createChangeHandler, snapshotFor, type ChangeHandler } from './change-handler.ts';
import { CollectionWatcher } from './collection-watcher.ts';
import type { ApiServerConfig } from './config.ts';
import { DeliveryQueue } from './delivery-queue.ts';
import { Handover } from './handover.ts';
import { resolveResources, UnknownResourceError, type ResolvedResource } from './discovery.ts';
import { loadKubeConfig } from '@tributary/kube';
import { KubeApi } from './kube-client.ts';
import { createApiServerMetrics, type ApiServerMetrics } from './metrics.ts';
import { ReadinessTracker } from './readiness.ts';
import { planCollections, type Collection } from './watch-plan.ts';

type Context = AdapterContext<ApiServerConfig>;

interface CollectionsRun {
  readonly api: KubeApi;
  readonly collections: readonly Collection[];
  readonly onChange: ChangeHandler;
  readonly readiness: ReadinessTracker;
  readonly metrics: ApiServerMetrics;
  readonly handover: Handover;
}

/**
 * The adapter's intake (one leader term, with election): discover the resources, open the planned
 * watches (resuming where the previous leader's handover note says), turn their changes into
 * events queued for delivery, and on SIGTERM or the end of the term stop reading, deliver what is
 * queued and leave the next leader a note of what was delivered.
 */
export async function runApiServerSource(ctx: Context): Promise<void> {
  const { config, logger, signal } = ctx;
  const api = new KubeApi(loadKubeConfig(config.kube));
  const metrics = createApiServerMetrics(ctx.metrics);
  const readiness = new ReadinessTracker(ctx.setReady, metrics.watches);
  const handover = Handover.start(ctx.leaderTerm, logger);
  const queue = new DeliveryQueue({
    capacity: config.queueSize,
    concurrency: config.concurrency,
    // Each change starts a trace of its own (a producer span around its delivery) when tracing is on.
    send: traceEach(ctx.tracing, ctx.emit, 'apiserver change'),
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
    handover.plan(collections);
    logger.info(
      { server: api.server, mode: config.source.mode, watches: collections.map((c) => c.id) },
      'watching',
    );
    const onChange = createChangeHandler({ config: config.source, source: api.server, queue, metrics });
    await runCollections(ctx, { api, collections, onChange, readiness, metrics, handover });
  } finally {
    signal.removeEventListener('abort', closeQueue);
    queue.close();
    await queue.drain();
    leaveHandoverNote(ctx, handover);
    await api.close();
  }
}

/** After the drain, so the note names only what was delivered (used if the lease is released, not lost). */
function leaveHandoverNote(ctx: Context, handover: Handover): void {
  if (ctx.leaderTerm === undefined) return;
  const { note, collections, omitted } = handover.note();
  ctx.leaderTerm.setHandoverNote(note);
  ctx.logger.info({ collections, bytes: Buffer.byteLength(note) }, 'handover note left for the next leader');
  if (omitted > 0)
    ctx.logger.warn(
      { omitted },
      'handover note too large: these collections will start from the current state',
    );
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
  const { api, onChange, readiness, metrics, handover } = parts;
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  ctx.signal.addEventListener('abort', onAbort, { once: true });
  const run = async (collection: Collection): Promise<void> => {
    readiness.add(collection.id);
    const { resumeFrom, delivered } = handover.begin(collection);
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
      delivered,
      resumeFrom,
    });
    try {
      if ((await watcher.run()) === 'forbidden' && collection.fallback) {
        ctx.logger.warn(
          { watch: collection.id },
          'cluster-wide list forbidden: watching each namespace instead',
        );
        readiness.remove(collection.id);
        handover.end(collection);
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
