import type { Adapter, Env, RuntimeConfig } from '@tributary/core';
import { DELETE_WEBHOOK_FLAG, readGitHubConfig, type GitHubConfig } from './config.ts';
import { GITHUB_EVENT_TYPES } from './event-names.ts';
import { runGitHub } from './github.ts';
import { deleteWebhooks } from './webhooks.ts';

export const githubAdapter: Adapter<GitHubConfig> = {
  name: 'github',
  config: readConfig,
  start: runGitHub,
  // K_SINK is checked by readConfig: required for one source, unused in multi-tenant mode, where
  // each GitHubSource's status.sinkUri is its sink.
  needsSink: false,
  // Single-tenant: ready at start. Multi-tenant: ready once the GitHubSources are listed.
  readiness: 'managed',
  eventTypes: GITHUB_EVENT_TYPES,
  commands: { [DELETE_WEBHOOK_FLAG]: deleteWebhooks },
};

function readConfig(env: Env, runtime: RuntimeConfig, args: readonly string[]): GitHubConfig {
  const config = readGitHubConfig(env, runtime, args);
  // The one-shot --delete-webhook run (a Helm pre-delete Job) sends no events.
  const deleting = args.includes(DELETE_WEBHOOK_FLAG);
  if (config.multiTenant === undefined && !deleting && runtime.sink === undefined && !env.has('K_SINK')) {
    env.problem('K_SINK', 'required but not set');
  }
  return config;
}
