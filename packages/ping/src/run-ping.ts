import { once } from 'node:events';
import type { AdapterContext } from '@tributary/core';
import type { PingConfig } from './config.ts';
import { watchFile, type FileWatch } from './file-watcher.ts';
import { handoverNote, handoverWatermark, replayMissedTicks } from './handover.ts';
import { collectAfterLoad } from './heap.ts';
import { createPingMetrics } from './metrics.ts';
import { CronScheduler } from './scheduler.ts';
import type { PingSource } from './source.ts';
import { SourcesLoader } from './sources-loader.ts';
import { identity, TickSender, type Emit } from './tick-sender.ts';

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

  let watch: FileWatch | undefined;
  const { sources } = config;
  if (sources.kind === 'file') {
    const loader = new SourcesLoader({ path: sources.path, scheduler, defaultSink: ctx.runtime.sink, metrics, logger });
    loader.apply(sources.initial);
    collectAfterLoad(sources.initial.sources.length);
    watch = watchFile(sources.path, {
      intervalMs: sources.pollIntervalMs,
      initialHash: sources.initialHash,
      onChange: (text) => loader.reload(text),
      onError: (error) => logger.warn({ file: sources.path, code: error.code }, 'sources file cannot be read: keeping the last good set'),
    });
  } else if (sources.source !== undefined) {
    scheduler.replace([sources.source]);
    metrics.sources.set(1);
  }

  // Stop in the abort handler itself: no timer can fire between the signal and the stop. Under
  // leader election the instant it stops at is handed to the next leader (handover.ts).
  signal.addEventListener(
    'abort',
    () => ctx.leaderTerm?.setHandoverNote(handoverNote(scheduler.stopAt(Date.now()))) ?? scheduler.stop(),
    { once: true },
  );
  const now = Date.now();
  const watermark = handoverWatermark(ctx.leaderTerm, now);
  if (watermark !== undefined && !signal.aborted) {
    const replayed = replayMissedTicks(scheduler, watermark, now, (source, at) => sender.tick(source, at));
    logger.info({ ticksFiredThrough: new Date(watermark).toISOString(), replayed }, 'took over: replayed the ticks since the previous leader stopped');
  }
  if (!signal.aborted) scheduler.start();
  if (sources.kind === 'env' && sources.source !== undefined) logScheduled(ctx, sources.source, scheduler.nextFire(sources.source.key));

  if (!signal.aborted) await once(signal, 'abort');
  watch?.close();
  sender.flush();
  await sender.drain();
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
    const key = `${source.sink?.href ?? ''}\u0000${JSON.stringify(source.ceOverrides ?? {})}\u0000${source.namespace}`;
    emit = byTarget.get(key) ?? ctx.emitTo({ sink: source.sink, ceOverrides: source.ceOverrides, namespace: source.namespace });
    byTarget.set(key, emit);
    bySource.set(source, emit);
    return emit;
  };
}
