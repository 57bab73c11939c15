import { randomUUID } from 'node:crypto';
import { isCloudEventString, type CloudEvent, type EventTypeInfo } from '@tributary/core';
import { GITLAB_EVENT_KINDS } from './events.ts';

/** Plural `sources`, as eventing-gitlab's GitLabEventType (docs/contracts.md §6). */
export const GITLAB_TYPE_PREFIX = 'dev.knative.sources.gitlab.';

export const GITLAB_EVENT_TYPES: readonly EventTypeInfo[] = GITLAB_EVENT_KINDS.map((kind) => ({
  type: GITLAB_TYPE_PREFIX + kind.suffix,
  description: `${kind.description} (X-Gitlab-Event: ${kind.header})`,
  // GITLAB_EVENT_TYPES takes the suffix or the hook flag (config.ts readEventTypes).
  selectedBy: kind.flag === undefined ? [kind.suffix] : [kind.suffix, kind.flag],
}));

export type Payload = Readonly<Record<string, unknown>>;

/** One verified webhook delivery, ready to map. */
export interface GitlabDelivery {
  /** The raw `X-Gitlab-Event` header, e.g. `Merge Request Hook`. */
  readonly eventHeader: string;
  readonly body: Uint8Array;
  readonly payload: Payload;
  /** `Idempotency-Key`, else `X-Gitlab-Webhook-UUID`. */
  readonly deliveryId: string | undefined;
}

export interface SourceRules {
  /** GITLAB_EVENT_SOURCE: the source of every event when set, as Knative's adapter does. */
  readonly eventSource: string | undefined;
  /** GITLAB_GROUP_URL: the source of events that name no project (config requires one of the two). */
  readonly groupUrl: string | undefined;
}

/**
 * `Merge Request Hook` → `merge_request`: the trailing ` Hook` dropped, spaces → `_`, lower case,
 * exactly eventing-gitlab's gitlabEventHeaderToEventType. Undefined for a header that is not
 * `<Name> Hook` (Knative refuses those too).
 */
export function typeSuffix(eventHeader: string): string | undefined {
  const match = /^([A-Za-z0-9][A-Za-z0-9 ]*) Hook$/.exec(eventHeader);
  return match?.[1]?.replaceAll(' ', '_').toLowerCase();
}

/** The CloudEvent for one delivery. `data` is the body byte for byte (Knative re-encodes it). */
export function gitlabEvent(
  delivery: GitlabDelivery,
  rules: SourceRules,
  newId: () => string = randomUUID,
): CloudEvent {
  const suffix = typeSuffix(delivery.eventHeader);
  if (suffix === undefined) throw new TypeError(`not a GitLab hook name: ${delivery.eventHeader}`);
  return {
    id: delivery.deliveryId ?? newId(),
    type: GITLAB_TYPE_PREFIX + suffix,
    source: sourceOf(delivery.payload, rules),
    subject: subjectOf(suffix, delivery.payload),
    datacontenttype: 'application/json',
    data: delivery.body,
    extensions: { comgitlabevent: delivery.eventHeader },
  };
}

export function sourceOf(payload: Payload, rules: SourceRules): string {
  if (rules.eventSource !== undefined) return rules.eventSource;
  const webUrl = record(payload['project'])?.['web_url'];
  if (typeof webUrl === 'string' && webUrl !== '' && isCloudEventString(webUrl)) return webUrl;
  return rules.groupUrl ?? '';
}

/**
 * What the event is about, in the spirit of eventing-github's subjects (Knative's GitLab adapter
 * sets none): the ref of a push, the iid of an issue or merge request, `17#note_1241` for a note.
 */
export function subjectOf(suffix: string, payload: Payload): string | undefined {
  const pick = SUBJECTS[suffix];
  return pick ? scalar(pick(payload, attributes(payload))) : undefined;
}

type Pick = (payload: Payload, attributes: Payload) => unknown;

const SUBJECTS: Readonly<Record<string, Pick>> = {
  push: (p) => p['ref'],
  tag_push: (p) => p['ref'],
  issue: (_, a) => a['iid'],
  confidential_issue: (_, a) => a['iid'],
  merge_request: (_, a) => a['iid'],
  milestone: (_, a) => a['iid'],
  note: (_, a) => lastSegment(a['url']),
  confidential_note: (_, a) => lastSegment(a['url']),
  wiki_page: (_, a) => a['slug'],
  pipeline: (_, a) => a['id'],
  job: (p) => p['build_id'],
  deployment: (p) => p['deployment_id'],
  release: (p) => p['tag'],
  feature_flag: (_, a) => a['name'],
  emoji: (_, a) => lastSegment(a['awarded_on_url']),
  resource_access_token: (_, a) => a['id'],
  vulnerability: (_, a) => lastSegment(a['url']),
  member: (p) => p['user_username'],
  project: (p) => p['path_with_namespace'],
  subgroup: (p) => p['full_path'],
  system: (p) => p['event_name'] ?? p['object_kind'],
};

function attributes(payload: Payload): Payload {
  return record(payload['object_attributes']) ?? {};
}

function record(value: unknown): Payload | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Payload)
    : undefined;
}

/** `…/issues/17#note_1241` → `17#note_1241`, as eventing-github keeps a comment URL's last part. */
function lastSegment(url: unknown): string | undefined {
  return typeof url === 'string' ? url.slice(url.lastIndexOf('/') + 1) : undefined;
}

function scalar(value: unknown): string | undefined {
  if (typeof value === 'string') return value === '' || !isCloudEventString(value) ? undefined : value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}
