import { isCloudEventString, type CloudEvent, type Extensions } from '@tributary/core';
import { eventType } from './event-names.ts';
import { KNATIVE_EVENTS } from './knative-events.ts';
import { otherEventAttributes } from './other-events.ts';
import { objectAt, stringAt, type JsonObject } from './payload-fields.ts';

/** One verified webhook delivery. */
export interface GitHubDelivery {
  /** `X-GitHub-Event`. */
  readonly event: string;
  /** `X-GitHub-Delivery`: the same on GitHub's redeliveries, so it is the CloudEvent id. */
  readonly deliveryId: string;
  readonly payload: JsonObject;
  /** The JSON document exactly as GitHub sent it (the body, or the `payload=` field of a form body). */
  readonly data: Uint8Array | string;
}

export interface SourceSettings {
  /** From `GITHUB_OWNER_REPO` when it names exactly one repo or org. */
  readonly source: string | undefined;
  readonly webUrl: string;
}

/** The CloudEvent eventing-github would send for this delivery, with the payload byte for byte. */
export function githubCloudEvent(delivery: GitHubDelivery, settings: SourceSettings): CloudEvent {
  const { subject, extensions } = subjectAndExtensions(delivery.event, delivery.payload);
  return {
    id: delivery.deliveryId,
    type: eventType(delivery.event),
    source: settings.source ?? sourceFromPayload(delivery.payload, settings.webUrl),
    subject,
    datacontenttype: 'application/json',
    data: delivery.data,
    extensions,
  };
}

export function subjectAndExtensions(
  event: string,
  payload: JsonObject,
): { subject: string | undefined; extensions: Extensions } {
  const known = KNATIVE_EVENTS.get(event);
  const attributes = known !== undefined ? known(payload) : otherEventAttributes(event, payload);
  // The Go SDK's SetSubject trims spaces and drops an empty subject.
  const subject = goTrimSpace(attributes.subject);
  return {
    subject: subject === '' || !isCloudEventString(subject) ? undefined : subject,
    extensions: validExtensions(attributes.extensions),
  };
}

/**
 * Extension values copied from the payload that CloudEvents 1.0 §3.1.1 does not allow (control
 * characters, lone surrogates) are left out: eventing-github would send them, and a strict sink
 * would refuse the whole event for one odd `action` value.
 */
function validExtensions(extensions: Extensions): Extensions {
  const entries = Object.entries(extensions);
  if (entries.every(([, value]) => typeof value !== 'string' || isCloudEventString(value))) return extensions;
  return Object.fromEntries(
    entries.filter(([, value]) => typeof value !== 'string' || isCloudEventString(value)),
  );
}

/**
 * Without a configured repo: the repository's web URL, else the organization's, else the GitHub
 * base URL (app-level events such as `github_app_authorization` belong to no repository).
 */
export function sourceFromPayload(payload: JsonObject, webUrl: string): string {
  const repositoryUrl = stringAt(payload, 'repository', 'html_url');
  if (repositoryUrl !== '' && isCloudEventString(repositoryUrl)) return repositoryUrl;
  const org = [
    stringAt(payload, 'organization', 'login'),
    stringAt(objectAt(payload, 'installation'), 'account', 'login'),
  ].find((login) => login !== '' && isCloudEventString(login));
  return org === undefined ? webUrl : `${webUrl}/${org}`;
}

// Go's unicode.IsSpace set, which strings.TrimSpace uses (JavaScript's trim() differs on U+0085 and U+FEFF).
const GO_SPACE =
  /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+|[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+$/g;

function goTrimSpace(text: string): string {
  return text.replace(GO_SPACE, '');
}
