import { once } from 'node:events';
import { mountWebhook, type AdapterContext } from '@tributary/core';
import type { GitlabConfig } from './config.ts';
import { startHookManager } from './hooks/hook-manager.ts';
import { createGitlabIntake } from './intake.ts';

/** Serves the webhook intake on PORT and, when configured, keeps the GitLab hook in place. */
export async function runGitlab(ctx: AdapterContext<GitlabConfig>): Promise<void> {
  mountWebhook(ctx, createGitlabIntake(ctx.config));
  const hooks = ctx.config.hook ? startHookManager(ctx, ctx.config.hook) : undefined;
  if (!ctx.signal.aborted) await once(ctx.signal, 'abort');
  await hooks?.stop();
}
