import { setTimeout as sleep } from 'node:timers/promises';
import type { AdapterContext } from '@tributary/core';
import type { GitlabConfig, HookConfig } from '../config.ts';
import { desiredHook } from './desired-hook.ts';
import { GitlabApiFactory, apiStatus } from './gitlab-api.ts';
import { candidates, locateTarget, type HookTarget } from './locate-target.ts';
import { removeHook, syncHook } from './sync-hook.ts';

export interface HookManager {
  /** Stops retrying and, with GITLAB_DELETE_WEBHOOK_ON_EXIT, deletes the hook. */
  stop(): Promise<void>;
}

const MAX_RETRY_MS = 5 * 60_000;
/** How long shutdown waits for a sync call already on the wire. */
const STOP_WAIT_MS = 5_000;

/**
 * Puts the hook in place at startup, beside the intake rather than before it: a GitLab API outage
 * or a bad access token is logged and retried with backoff while webhooks keep being served.
 */
export function startHookManager(ctx: AdapterContext<GitlabConfig>, hook: HookConfig): HookManager {
  const { logger, config } = ctx;
  const factory = new GitlabApiFactory({ accessToken: hook.accessToken, caCerts: hook.caCerts });
  const desired = desiredHook({
    scope: hook.target.kind,
    webhookUrl: hook.webhookUrl,
    eventTypes: config.eventTypes,
    sslVerify: hook.sslVerify,
    secretToken: config.secretToken,
  });
  const syncs = ctx.metrics.counter(
    'tributary_gitlab_hook_syncs_total',
    'GitLab hook synchronisations by result.',
    ['result'],
  );
  const stopping = new AbortController();
  let target: HookTarget | undefined;
  let hookId: number | undefined;

  const syncOnce = async () => {
    target ??= await locateTarget(
      hook.target.kind,
      candidates(hook.target.kind, hook.target.url, hook.baseUrl),
      (host) => factory.for(hook.target.kind, host),
    );
    const result = await syncHook(factory.for(target.kind, target.host).hooks, target.id, desired);
    hookId = result.hookId;
    syncs.labels(result.action).inc();
    logger.info(
      { target: target.path, kind: target.kind, ...result },
      `gitlab ${target.kind} hook ${result.action}`,
    );
  };

  const loop = (async () => {
    for (let attempt = 0; !stopping.signal.aborted; attempt++) {
      try {
        return await syncOnce();
      } catch (error) {
        syncs.labels('failed').inc();
        const retryInMs = Math.min(1_000 * 2 ** attempt, MAX_RETRY_MS);
        logger.error(
          { ...describeError(error), target: hook.target.url.href, retryInMs },
          'gitlab hook sync failed',
        );
        await sleep(retryInMs, undefined, { signal: stopping.signal }).catch(() => {});
      }
    }
  })();

  return {
    async stop() {
      stopping.abort();
      await Promise.race([loop, sleep(STOP_WAIT_MS, undefined, { ref: false })]);
      if (hook.deleteOnExit && target !== undefined && hookId !== undefined) {
        try {
          const outcome = await removeHook(factory.for(target.kind, target.host).hooks, target.id, hookId);
          logger.info({ target: target.path, hookId, outcome }, 'gitlab hook deleted on exit');
        } catch (error) {
          logger.error(
            { ...describeError(error), target: target.path, hookId },
            'gitlab hook could not be deleted on exit',
          );
        }
      }
      await factory.close();
    },
  };
}

/**
 * gitbeaker's errors carry the whole request as `cause`, PRIVATE-TOKEN header included; log the
 * message, the HTTP status and the network error code only.
 */
function describeError(error: unknown): Record<string, unknown> {
  const cause = (error as { cause?: { code?: unknown } } | undefined)?.cause;
  return {
    error: error instanceof Error ? error.message : String(error),
    status: apiStatus(error),
    code: typeof cause?.code === 'string' ? cause.code : undefined,
  };
}
