import type { Adapter } from '@tributary/core';
import { readGitHubConfig, type GitHubConfig } from './config.ts';
import { GITHUB_EVENT_TYPES } from './event-names.ts';
import { runGitHub } from './github.ts';

export const githubAdapter: Adapter<GitHubConfig> = {
  name: 'github',
  config: readGitHubConfig,
  start: runGitHub,
  eventTypes: GITHUB_EVENT_TYPES,
};
