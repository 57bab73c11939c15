import { mountWebhook, type AdapterContext } from '@tributary/core';
import type { GitHubConfig } from './config.ts';
import { createGitHubIntake } from './intake.ts';
import { runMultiTenant } from './multi-tenant.ts';
import { manageWebhooks } from './webhooks.ts';

/**
 * Serves the webhook intake until SIGTERM. Webhook management runs beside it, not before it: GitHub
 * pings a hook as soon as it is created, and that ping must find the intake already listening. A
 * stopping replica never deletes the hook (others may still serve it): `--delete-webhook` does.
 */
export async function runGitHub(ctx: AdapterContext<GitHubConfig>): Promise<void> {
  const { config, logger, signal } = ctx;
  if (config.multiTenant !== undefined) return runMultiTenant(ctx, config.multiTenant);
  mountWebhook(ctx, createGitHubIntake(config, logger, ctx.metrics));
  ctx.setReady(true);
  if (config.secrets.length === 0)
    logger.warn('GITHUB_ALLOW_UNSIGNED=true and no secret: webhook signatures are not checked');

  const managed = config.webhook && manageWebhooks(ctx, config.webhook);
  await new Promise<void>((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
  await managed;
}
