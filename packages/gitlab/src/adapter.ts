import type { Adapter } from '@tributary/core';
import { DELETE_WEBHOOK_FLAG, readGitlabConfig, type GitlabConfig } from './config.ts';
import { deleteHooks } from './hooks/webhooks.ts';
import { runGitlab } from './server.ts';
import { GITLAB_EVENT_TYPES } from './to-cloudevent.ts';

export const gitlabAdapter: Adapter<GitlabConfig> = {
  name: 'gitlab',
  config: readGitlabConfig,
  start: runGitlab,
  eventTypes: GITLAB_EVENT_TYPES,
  commands: { [DELETE_WEBHOOK_FLAG]: deleteHooks },
};
