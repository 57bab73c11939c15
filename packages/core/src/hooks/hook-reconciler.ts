import type { Logger } from '../observability/logger.ts';
import { DEFAULT_HOOK_RETRY, pause, retryDelay, type HookRetry } from './backoff.ts';
import type { HookBinding } from './hook-binding.ts';
import type { HookMetrics } from './hook-metrics.ts';
import { reconcileHook } from './reconcile-hook.ts';

export interface HookReconcilerOptions {
  /** The URL the upstream must deliver to: this adapter's public address. */
  readonly url: string;
  readonly logger: Logger;
  readonly metrics: HookMetrics;
  readonly retry?: HookRetry;
  /**
   * After the hook is in place, check it again this often (0: never), so a hook deleted or edited
   * by hand comes back without a restart.
   */
  readonly resyncMs?: number;
}

/** Re-check every 10 minutes: 6 list calls an hour per target, far inside any API rate limit. */
export const DEFAULT_RESYNC_MS = 10 * 60_000;

/**
 * Keeps each target's hook in place until `signal` aborts, one independent loop per target. A failed
 * pass is logged with what to check, counted, and retried with backoff, for as long as the adapter
 * runs: it never gives up and never stops intake (a hook set up by hand keeps working meanwhile).
 * Resolves once `signal` aborted and no pass is in flight.
 */
export async function reconcileHooks(
  bindings: readonly HookBinding<unknown>[],
  options: HookReconcilerOptions,
  signal: AbortSignal,
): Promise<void> {
  await Promise.all(bindings.map((binding) => keepHook(binding, options, signal)));
}

async function keepHook<H>(
  binding: HookBinding<H>,
  options: HookReconcilerOptions,
  signal: AbortSignal,
): Promise<void> {
  const { logger, metrics, url } = options;
  const retry = options.retry ?? DEFAULT_HOOK_RETRY;
  const resyncMs = options.resyncMs ?? DEFAULT_RESYNC_MS;
  const { target } = binding;
  let failures = 0;
  let passes = 0;
  while (!signal.aborted) {
    try {
      const result = await reconcileHook(binding, url, signal);
      failures = 0;
      metrics.operations.labels('reconcile', target, result.action).inc();
      metrics.inSync.labels(target).set(1);
      if (result.duplicatesRemoved.length > 0) {
        metrics.duplicatesRemoved.labels(target).inc(result.duplicatesRemoved.length);
        logger.warn(
          { target, removed: result.duplicatesRemoved },
          `removed other hooks with this URL from ${target}`,
        );
      }
      // A resync that found nothing to do is not news.
      const level = passes++ > 0 && result.action === 'unchanged' ? 'debug' : 'info';
      logger[level]({ target, ...result }, `webhook on ${target} ${result.action}`);
      if (resyncMs <= 0) return;
      await pause(resyncMs, signal);
    } catch (error) {
      if (signal.aborted) return;
      const retryInMs = retryDelay(retry, failures++);
      metrics.operations.labels('reconcile', target, 'failed').inc();
      metrics.inSync.labels(target).set(0);
      logger.error(
        { target, status: binding.statusOf(error), failures, retryInMs },
        `webhook management failed for ${target}: ${binding.explain(error)}; retrying in ${Math.ceil(retryInMs / 1000)} s, intake keeps running`,
      );
      await pause(retryInMs, signal);
    }
  }
}
