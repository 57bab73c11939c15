import type { Adapter, Env, RuntimeConfig } from '@tributary/core';
import { readGitHubConfig, type GitHubConfig } from './config.ts';
import { GITHUB_EVENT_TYPES } from './event-names.ts';
import { runGitHub } from './github.ts';

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
};

function readConfig(env: Env, runtime: RuntimeConfig): GitHubConfig {
  const config = readGitHubConfig(env);
  if (config.multiTenant === undefined && runtime.sink === undefined && !env.has('K_SINK')) {
    env.problem('K_SINK', 'required but not set');
  }
  return config;
}
