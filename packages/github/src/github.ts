import { mountWebhook, type AdapterContext } from '@tributary/core';
import type { GitHubConfig } from './config.ts';
import { createGitHubIntake } from './intake.ts';
import { runMultiTenant } from './multi-tenant.ts';
import { WebhookManager } from './webhook-manager.ts';

/** Deleting hooks at shutdown must fit in the grace period, whatever the GitHub API does. */
const DELETE_TIMEOUT_MS = 10_000;

/**
 * Serves the webhook intake until SIGTERM. Webhook management runs beside it, not before it: GitHub
 * pings a hook as soon as it is created, and that ping must find the intake already listening.
 */
export async function runGitHub(ctx: AdapterContext<GitHubConfig>): Promise<void> {
  const { config, logger, signal } = ctx;
  if (config.multiTenant !== undefined) return runMultiTenant(ctx, config.multiTenant);
  mountWebhook(ctx, createGitHubIntake(config, logger, ctx.metrics));
  ctx.setReady(true);
  if (config.secrets.length === 0)
    logger.warn('GITHUB_ALLOW_UNSIGNED=true and no secret: webhook signatures are not checked');

  const management = config.webhook;
  const manager = management && new WebhookManager(config, management, logger, ctx.metrics);
  const synced = manager?.syncAll(signal);

  await new Promise<void>((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
  if (manager !== undefined && synced !== undefined && management?.deleteOnExit) {
    await manager.deleteAll(await synced, AbortSignal.timeout(DELETE_TIMEOUT_MS));
  }
}
