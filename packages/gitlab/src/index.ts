export { gitlabAdapter } from './adapter.ts';
export { readGitlabConfig, type GitlabConfig, type HookConfig } from './config.ts';
export {
  GITLAB_EVENT_KINDS,
  eventKindByName,
  eventKindBySuffix,
  hookFlagsFor,
  type GitlabEventKind,
} from './events.ts';
export {
  GITLAB_EVENT_TYPES,
  GITLAB_TYPE_PREFIX,
  gitlabEvent,
  sourceOf,
  subjectOf,
  typeSuffix,
  type GitlabDelivery,
  type Payload,
  type SourceRules,
} from './to-cloudevent.ts';
export { createGitlabIntake, receiveGitlab } from './intake.ts';
export {
  desiredHook,
  hookDifferences,
  hookRequestOptions,
  sameHookUrl,
  type DesiredHook,
  type DesiredHookInput,
} from './hooks/desired-hook.ts';
export {
  GitlabApiFactory,
  apiStatus,
  type GitlabApi,
  type HookRecord,
  type HooksApi,
} from './hooks/gitlab-api.ts';
export { candidates, locateTarget, pathSegments, type HookTarget } from './hooks/locate-target.ts';
export { syncHook, removeHook, type SyncResult } from './hooks/sync-hook.ts';
export { describeToken, descriptionMatchesToken } from './hooks/token-fingerprint.ts';
