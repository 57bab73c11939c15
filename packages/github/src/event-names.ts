import { emitterEventNames } from '@octokit/webhooks';
import type { EventTypeInfo } from '@tributary/core';

/** eventing-github `GitHubEventTypePrefix`: singular `source`, unlike GitLab's `dev.knative.sources.gitlab` (docs/contracts.md §5). */
export const EVENT_TYPE_PREFIX = 'dev.knative.source.github';

export function eventType(event: string): string {
  return `${EVENT_TYPE_PREFIX}.${event}`;
}

/**
 * Every event name GitHub documents, from @octokit/webhooks' generated list (`push`, not `push.created`),
 * plus the two legacy GitHub App names eventing-github still accepts. Any other name GitHub sends later
 * is forwarded too; this list only feeds the event registry and config warnings.
 */
export const KNOWN_EVENT_NAMES: readonly string[] = [
  ...new Set([
    ...emitterEventNames.filter((name) => !name.includes('.')),
    'integration_installation',
    'integration_installation_repositories',
  ]),
].sort();

/** The catalogue for the event registry (`registry.knative.dev/eventTypes`, docs/contracts.md §9). */
export const GITHUB_EVENT_TYPES: readonly EventTypeInfo[] = KNOWN_EVENT_NAMES.map((name) => ({
  type: eventType(name),
  description: `GitHub webhook event "${name}" (X-GitHub-Event: ${name}); data is the webhook payload as GitHub sent it.`,
  selectedBy: [name],
}));
