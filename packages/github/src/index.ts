export { githubAdapter } from './adapter.ts';
export {
  readGitHubConfig,
  toHookTarget,
  DELETE_WEBHOOK_FLAG,
  DEFAULT_MAX_BODY_BYTES,
  type GitHubConfig,
  type HookTarget,
  type WebhookManagement,
} from './config.ts';
export { EVENT_TYPE_PREFIX, GITHUB_EVENT_TYPES, KNOWN_EVENT_NAMES, eventType } from './event-names.ts';
export {
  githubCloudEvent,
  subjectAndExtensions,
  sourceFromPayload,
  type GitHubDelivery,
  type SourceSettings,
} from './to-cloudevent.ts';
export { KNATIVE_EVENTS, lastPathPortion, type SubjectAndExtensions } from './knative-events.ts';
export { otherEventAttributes } from './other-events.ts';
export { decodeBody, type DecodedBody } from './decode-body.ts';
export { SignatureVerifier } from './signature.ts';
export { createGitHubIntake } from './intake.ts';
export { hookDifferences, settingsFor, type DesiredHook } from './desired-hook.ts';
export { hookApi, type Hook, type HookApi, type HookSettings } from './hook-api.ts';
export { githubHookBinding, statusOf } from './hook-binding.ts';
export { githubClient } from './github-client.ts';
export { type GitHubAuth } from './github-auth-config.ts';
export { webhookBindings, manageWebhooks, deleteWebhooks } from './webhooks.ts';
