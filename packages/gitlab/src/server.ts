import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { mountWebhook, type AdapterContext } from '@tributary/core';
import type { GitlabConfig } from './config.ts';
import { manageHooks } from './hooks/webhooks.ts';
import { createGitlabIntake } from './intake.ts';

/** How long shutdown waits for a hook API call already on the wire (gitbeaker takes no AbortSignal). */
const STOP_WAIT_MS = 5_000;

/**
 * Serves the webhook intake on PORT and, when configured, keeps the GitLab hook in place beside it:
 * an API outage or a bad token is logged and retried while webhooks keep being served. A stopping
 * replica never deletes the hook (others may still serve it): `--delete-webhook` does.
 */
export async function runGitlab(ctx: AdapterContext<GitlabConfig>): Promise<void> {
  mountWebhook(ctx, createGitlabIntake(ctx.config));
  const managed = ctx.config.hook && manageHooks(ctx, ctx.config.hook);
  if (!ctx.signal.aborted) await once(ctx.signal, 'abort');
  if (managed) await Promise.race([managed, sleep(STOP_WAIT_MS, undefined, { ref: false })]);
}
