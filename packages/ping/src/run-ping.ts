import { once } from 'node:events';
import { traceEach, type AdapterContext } from '@tributary/core';
import type { PingConfig, SourcesFromKubernetes } from './config.ts';
import { watchFile } from './file-watcher.ts';
import { handoverNote, handoverWatermark, replayMissedTicks } from './handover.ts';
import { collectAfterLoad } from './heap.ts';
import { createPingMetrics, type PingMetrics } from './metrics.ts';
import { PingSourceSet } from './pingsource-set.ts';
import { CronScheduler } from './scheduler.ts';
import type { PingSource } from './source.ts';
import { SourcesLoader } from './sources-loader.ts';
import { identity, TickSender, type Emit } from './tick-sender.ts';

/** What feeds the scheduler its sources; `close` stops following changes. */
interface Intake {
  close(): Promise<void> | void;
}

/**
 * Serves the configured sources until SIGTERM, then stops firing (no tick after the signal),
 * sends ticks still waiting for their jitter, and returns once every delivery has settled.
 */
export async function runPing(ctx: AdapterContext<PingConfig>): Promise<void> {
  const { config, logger, signal } = ctx;
  const metrics = createPingMetrics(ctx.metrics);
  const sender = new TickSender({ emitFor: emitterFor(ctx), jitterMs: config.jitterMs, metrics, logger });
  const scheduler = new CronScheduler<PingSource>({
    onTick: (source, scheduledMs) => sender.tick(source, scheduledMs),
    onSkipped: (source, count) => {
      metrics.skipped.inc(count);
      logger.warn({ pingsource: identity(source), count }, 'ticks skipped: the process could not run at their time');
    },
    onError: (source, error) => logger.error({ pingsource: identity(source), err: error }, 'tick failed'),
  });

  // Stop in the abort handler itself: no timer can fire between the signal and the stop. Under
  // leader election the instant it stops at is handed to the next leader (handover.ts); a term
  // that ends before it ticked (still listing PingSources) passes on the note it was given.
  let started = false;
  signal.addEventListener(
    'abort',
    () => {
      const term = ctx.leaderTerm;
      if (started) term?.setHandoverNote(handoverNote(scheduler.stopAt(Date.now())));
      else if (term?.previous.graceful && term.previous.note !== undefined) term.setHandoverNote(term.previous.note);
      scheduler.stop();
    },
    { once: true },
  );

  const intake = await openIntake(ctx, scheduler, metrics);
  const now = Date.now();
  const watermark = handoverWatermark(ctx.leaderTerm, now);
  if (watermark !== undefined && !signal.aborted) {
    const replayed = replayMissedTicks(scheduler, watermark, now, (source, at) => sender.tick(source, at));
    logger.info({ ticksFiredThrough: new Date(watermark).toISOString(), replayed }, 'took over: replayed the ticks since the previous leader stopped');
  }
  if (!signal.aborted) {
    scheduler.start();
    started = true;
  }
  const { sources } = config;
  if (sources.kind === 'env' && sources.source !== undefined) logScheduled(ctx, sources.source, scheduler.nextFire(sources.source.key));

  if (!signal.aborted) await once(signal, 'abort');
  await intake.close();
  sender.flush();
  await sender.drain();
}

/** Loads the sources into the (not yet started) scheduler and follows their changes. */
async function openIntake(ctx: AdapterContext<PingConfig>, scheduler: CronScheduler<PingSource>, metrics: PingMetrics): Promise<Intake> {
  const { sources } = ctx.config;
  const { logger } = ctx;
  if (sources.kind === 'kubernetes') return watchKubernetes(ctx, sources, scheduler, metrics);
  ctx.setReady(true);
  if (sources.kind === 'env') {
    if (sources.source !== undefined) scheduler.replace([sources.source]);
    metrics.sources.set(sources.source === undefined ? 0 : 1);
    return { close: () => undefined };
  }
  const loader = new SourcesLoader({ path: sources.path, scheduler, defaultSink: ctx.runtime.sink, metrics, logger });
  loader.apply(sources.initial);
  collectAfterLoad(sources.initial.sources.length);
  return watchFile(sources.path, {
    intervalMs: sources.pollIntervalMs,
    initialHash: sources.initialHash,
    onChange: (text) => loader.reload(text),
    onError: (error) => logger.warn({ file: sources.path, code: error.code }, 'sources file cannot be read: keeping the last good set'),
  });
}

/**
 * mt-ping's mode: the PingSource objects, listed and then watched. Resolves once the first list is
 * in the scheduler (a new leader replays and starts ticking only then), or when the term ends.
 * The Kubernetes client is loaded here, so the other modes never load it.
 */
async function watchKubernetes(
  ctx: AdapterContext<PingConfig>,
  sources: SourcesFromKubernetes,
  scheduler: CronScheduler<PingSource>,
  metrics: PingMetrics,
): Promise<Intake> {
  const { logger, signal } = ctx;
  const { watchPingSources } = await import('./pingsource-watcher.ts');
  const set = new PingSourceSet({ scheduler, metrics, logger });
  ctx.setReady(false, 'listing PingSources');
  logger.info({ namespace: sources.namespace ?? '(all)' }, 'serving PingSource objects');
  const watch = watchPingSources({
    access: sources.access,
    namespace: sources.namespace,
    onUpsert: (object) => set.upsert(object),
    onDelete: (object) => set.remove(object),
    onState: (up, reason) => ctx.setReady(up, reason),
    logger,
  });
  await Promise.race([watch.synced, once(signal, 'abort')]);
  set.flush();
  return {
    async close() {
      await watch.close();
      set.close();
    },
  };
}

function logScheduled(ctx: AdapterContext<PingConfig>, source: PingSource, nextFire: number | undefined): void {
  ctx.logger.info(
    {
      pingsource: identity(source),
      schedule: source.schedule.expression,
      timezone: source.schedule.timezone,
      nextFire: nextFire === undefined ? undefined : new Date(nextFire).toISOString(),
    },
    'ping source scheduled',
  );
}

/**
 * One emit per distinct target, resolved once per source. Each source sends its own namespace as
 * `Kn-Namespace`, as Knative's multi-tenant adapter does; core shares one connection pool per sink
 * origin, so distinct targets cost an encoder, not connections.
 */
function emitterFor(ctx: AdapterContext<PingConfig>): (source: PingSource) => Emit {
  const byTarget = new Map<string, Emit>();
  const bySource = new WeakMap<PingSource, Emit>();
  return (source) => {
    let emit = bySource.get(source);
    if (emit !== undefined) return emit;
    const key = JSON.stringify([source.sink?.href ?? '', source.ceOverrides ?? {}, source.namespace, source.caCerts ?? '', source.oidc ?? {}]);
    // Each tick starts a trace of its own (a producer span around its delivery) when tracing is on.
    emit =
      byTarget.get(key) ??
      traceEach(
        ctx.tracing,
        ctx.emitTo({
          sink: source.sink,
          ceOverrides: source.ceOverrides,
          namespace: source.namespace,
          caCerts: source.caCerts,
          oidc: source.oidc === undefined ? undefined : { ...source.oidc, namespace: source.namespace },
        }),
        'ping tick',
      );
    byTarget.set(key, emit);
    bySource.set(source, emit);
    return emit;
  };
}
