import {
  createHookMetrics,
  reconcileHooks,
  removeHooks,
  type CommandContext,
  type HookBinding,
  type Logger,
} from '@tributary/core';
import type { GitHubConfig, WebhookManagement } from './config.ts';
import { githubClient } from './github-client.ts';
import { hookApi, type Hook } from './hook-api.ts';
import { githubHookBinding } from './hook-binding.ts';

/** One binding per repository or organization in GITHUB_OWNER_REPO. */
export function webhookBindings(
  config: GitHubConfig,
  management: WebhookManagement,
  logger: Logger,
): HookBinding<Hook>[] {
  const octokit = githubClient(management, logger);
  const desired = {
    url: management.url,
    events: management.events,
    secret: config.secrets[0],
    rotatingSecret: config.rotatingSecret,
  };
  return management.targets.map((target) => githubHookBinding(hookApi(octokit, target), desired, management));
}

/** Keeps every hook in place until `ctx.signal` aborts (core's reconcile loop). */
export async function manageWebhooks(
  ctx: CommandContext<GitHubConfig>,
  management: WebhookManagement,
): Promise<void> {
  const bindings = webhookBindings(ctx.config, management, ctx.logger);
  await reconcileHooks(
    bindings as HookBinding<unknown>[],
    {
      url: management.url,
      logger: ctx.logger,
      metrics: createHookMetrics(ctx.metrics),
      resyncMs: management.resyncMs,
    },
    ctx.signal,
  );
}

/** `main.js --delete-webhook`: deletes this adapter's hook from every target, then exits. */
export async function deleteWebhooks(ctx: CommandContext<GitHubConfig>): Promise<void> {
  const management = ctx.config.webhook;
  if (management === undefined) throw new Error('webhook management is not configured');
  const bindings = webhookBindings(ctx.config, management, ctx.logger);
  await removeHooks(
    bindings as HookBinding<unknown>[],
    { url: management.url, logger: ctx.logger, metrics: createHookMetrics(ctx.metrics) },
    ctx.signal,
  );
}
