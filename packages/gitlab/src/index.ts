export { gitlabAdapter } from './adapter.ts';
export { readGitlabConfig, DELETE_WEBHOOK_FLAG, type GitlabConfig, type HookConfig } from './config.ts';
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
export {
  candidates,
  locateTarget,
  pathSegments,
  TargetNotFoundError,
  type HookTarget,
} from './hooks/locate-target.ts';
export { gitlabHookBinding } from './hooks/hook-binding.ts';
export { manageHooks, deleteHooks } from './hooks/webhooks.ts';
export { describeToken, descriptionMatchesToken } from './hooks/token-fingerprint.ts';
