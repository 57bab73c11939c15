import { isRetryableStatus } from '../delivery/retry.ts';
import type { Logger } from '../observability/logger.ts';
import { DEFAULT_HOOK_RETRY, pause, retryDelay, type HookRetry } from './backoff.ts';
import type { HookBinding } from './hook-binding.ts';
import type { HookMetrics } from './hook-metrics.ts';
import { hooksAt, removeIfPresent } from './reconcile-hook.ts';

export interface HookRemovalOptions {
  readonly url: string;
  readonly logger: Logger;
  readonly metrics: HookMetrics;
  readonly retry?: HookRetry;
  /** Passes per target before giving up (the caller then exits non-zero and the Job retries). */
  readonly attempts?: number;
}

/**
 * Deletes every hook whose URL is ours on each target: the one-shot `--delete-webhook` run of the
 * charts' pre-delete Job. A target that has none, or that is itself gone (404), is done. Throws when
 * a target still fails after its attempts (network errors, 5xx, 429 are retried; a refused
 * credential is not), so the Job fails loudly instead of leaving a hook behind.
 */
export async function removeHooks(
  bindings: readonly HookBinding<unknown>[],
  options: HookRemovalOptions,
  signal: AbortSignal,
): Promise<void> {
  const outcomes = await Promise.allSettled(bindings.map((binding) => removeFrom(binding, options, signal)));
  const failed = outcomes.flatMap((outcome, i) =>
    outcome.status === 'rejected' ? [bindings[i]?.target] : [],
  );
  if (failed.length > 0) throw new Error(`could not remove the webhook from ${failed.join(', ')}`);
}

async function removeFrom<H>(
  binding: HookBinding<H>,
  options: HookRemovalOptions,
  signal: AbortSignal,
): Promise<void> {
  const { logger, metrics, url } = options;
  const retry = options.retry ?? DEFAULT_HOOK_RETRY;
  const attempts = options.attempts ?? 5;
  const { target } = binding;
  for (let attempt = 1; ; attempt++) {
    try {
      const ours = await hooksAt(binding, url, signal);
      const removed: number[] = [];
      for (const hook of ours) {
        if ((await removeIfPresent(binding, hook, signal)) === 'deleted') removed.push(binding.idOf(hook));
      }
      const outcome = removed.length > 0 ? 'deleted' : 'absent';
      metrics.operations.labels('remove', target, outcome).inc();
      logger.info(
        { target, removed, outcome },
        removed.length > 0 ? `webhook on ${target} deleted` : `no webhook on ${target}: nothing to delete`,
      );
      return;
    } catch (error) {
      if (binding.statusOf(error) === 404) {
        // The repository, organization, project or group itself is gone (or this token cannot
        // see it, and then it cannot have hooks we made): nothing of ours is left there.
        metrics.operations.labels('remove', target, 'absent').inc();
        logger.warn({ target, status: 404 }, `${target} is not found: no webhook to delete there`);
        return;
      }
      metrics.operations.labels('remove', target, 'failed').inc();
      // A refused credential or request will not change within a Job's run: fail now, loudly.
      const status = binding.statusOf(error);
      const last =
        attempt >= attempts || signal.aborted || (status !== undefined && !isRetryableStatus(status));
      const retryInMs = retryDelay(retry, attempt - 1);
      logger.error(
        { target, status, attempt, attempts, ...(last ? {} : { retryInMs }) },
        `could not delete the webhook on ${target}: ${binding.explain(error)}${last ? '' : `; retrying in ${Math.ceil(retryInMs / 1000)} s`}`,
      );
      if (last) throw error;
      await pause(retryInMs, signal);
    }
  }
}
