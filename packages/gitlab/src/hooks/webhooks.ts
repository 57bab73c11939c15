import {
  createHookMetrics,
  reconcileHooks,
  removeHooks,
  type CommandContext,
  type HookBinding,
} from '@tributary/core';
import type { GitlabConfig, HookConfig } from '../config.ts';
import { desiredHook } from './desired-hook.ts';
import { GitlabApiFactory } from './gitlab-api.ts';
import { gitlabHookBinding } from './hook-binding.ts';

function bindingFor(config: GitlabConfig, hook: HookConfig, factory: GitlabApiFactory): HookBinding<unknown> {
  const desired = desiredHook({
    scope: hook.target.kind,
    webhookUrl: hook.webhookUrl,
    eventTypes: config.eventTypes,
    sslVerify: hook.sslVerify,
    secretToken: config.secretToken,
  });
  return gitlabHookBinding(hook, desired, factory) as HookBinding<unknown>;
}

/** Keeps the project or group hook in place until `ctx.signal` aborts (core's reconcile loop). */
export async function manageHooks(ctx: CommandContext<GitlabConfig>, hook: HookConfig): Promise<void> {
  const factory = new GitlabApiFactory({ accessToken: hook.accessToken, caCerts: hook.caCerts });
  try {
    await reconcileHooks(
      [bindingFor(ctx.config, hook, factory)],
      {
        url: hook.webhookUrl,
        logger: ctx.logger,
        metrics: createHookMetrics(ctx.metrics),
        resyncMs: hook.resyncMs,
      },
      ctx.signal,
    );
  } finally {
    await factory.close();
  }
}

/** `main.js --delete-webhook`: deletes this adapter's hook from its project or group, then exits. */
export async function deleteHooks(ctx: CommandContext<GitlabConfig>): Promise<void> {
  const hook = ctx.config.hook;
  if (hook === undefined) throw new Error('hook management is not configured');
  const factory = new GitlabApiFactory({ accessToken: hook.accessToken, caCerts: hook.caCerts });
  try {
    await removeHooks(
      [bindingFor(ctx.config, hook, factory)],
      { url: hook.webhookUrl, logger: ctx.logger, metrics: createHookMetrics(ctx.metrics) },
      ctx.signal,
    );
  } finally {
    await factory.close();
  }
}
