import type { IncomingHttpHeaders } from 'node:http';
import {
  HttpError,
  secretMatcher,
  type WebhookIntake,
  type WebhookOutcome,
  type WebhookRequest,
} from '@tributary/core';
import type { GitlabConfig } from './config.ts';
import { gitlabEvent, typeSuffix, type Payload } from './to-cloudevent.ts';

/**
 * GitLab webhook intake for core's `mountWebhook`: token, event header and JSON checked here;
 * size limit, media type, sink acknowledgement and duplicate delivery ids are core's.
 */
export function createGitlabIntake(config: GitlabConfig): WebhookIntake {
  const tokenMatches = matcherFor(config.secretToken);
  return {
    maxBodyBytes: config.maxBodyBytes,
    answerDeadlineMs: config.answerDeadlineMs,
    // GitLab always posts `Content-Type: application/json`.
    mediaTypes: ['application/json'],
    // Token and event header decide before the body is read: a stranger's upload is not buffered.
    checkHeaders: (request) => void checkGitlabHeaders(config, request.headers, tokenMatches),
    receive: (request) => receiveGitlab(config, request, tokenMatches),
  };
}

export function receiveGitlab(
  config: GitlabConfig,
  request: WebhookRequest,
  tokenMatches = matcherFor(config.secretToken),
): WebhookOutcome {
  const { eventHeader, suffix } = checkGitlabHeaders(config, request.headers, tokenMatches);
  const payload = parseObject(request.body);
  if (config.eventTypes !== undefined && !config.eventTypes.has(suffix)) {
    return { kind: 'ignore', reason: 'event_type_not_allowed' };
  }
  // Idempotency-Key stays the same on every retry of one event (GitLab 17.4+); X-Gitlab-Event-UUID
  // is GitLab's recursion guard, shared by every hook an event triggers, so it is not a delivery id.
  const deliveryId = deliveryIdOf(request.headers);
  const event = gitlabEvent({ eventHeader, body: request.body, payload, deliveryId }, config);
  return { kind: 'forward', events: [event], deliveryId };
}

/** What the headers alone decide: the token, and an event header naming a hook this intake takes. */
export function checkGitlabHeaders(
  config: GitlabConfig,
  headers: IncomingHttpHeaders,
  tokenMatches = matcherFor(config.secretToken),
): { eventHeader: string; suffix: string } {
  checkToken(tokenMatches, header(headers, 'x-gitlab-token'));
  const eventHeader = header(headers, 'x-gitlab-event');
  if (eventHeader === undefined)
    throw new HttpError(400, 'EVENT_HEADER_MISSING', 'the X-Gitlab-Event header is missing');
  const suffix = typeSuffix(eventHeader);
  if (suffix === undefined) {
    throw new HttpError(
      400,
      'EVENT_HEADER_INVALID',
      `X-Gitlab-Event must name a hook such as "Push Hook", got ${JSON.stringify(eventHeader)}`,
    );
  }
  // Knative refuses System Hook outright; here it takes an explicit opt-in, since a system hook
  // carries instance-wide events (users, keys, every project) that a project sink may not expect.
  if (suffix === 'system' && !config.allowSystemHooks) {
    throw new HttpError(
      400,
      'SYSTEM_HOOK_REFUSED',
      'System Hook events are refused; set GITLAB_ALLOW_SYSTEM_HOOKS=true to accept them',
    );
  }
  return { eventHeader, suffix };
}

// GitLab sends UUIDs; any short run of printable ASCII passes, so proxies' variants do too. A tab
// or a latin1 control byte (both legal in an HTTP header) must not become the CloudEvent id,
// which CloudEvents 1.0 §3.1.1 forbids control characters in.
const DELIVERY_ID = /^[\x21-\x7e]{1,200}$/;

function deliveryIdOf(headers: IncomingHttpHeaders): string | undefined {
  for (const name of ['idempotency-key', 'x-gitlab-webhook-uuid']) {
    const value = header(headers, name);
    if (value === undefined) continue;
    if (!DELIVERY_ID.test(value))
      throw new HttpError(400, 'HEADER_INVALID', `the ${name} header is not valid`);
    return value;
  }
  return undefined;
}

/** Core's constant-time matcher for the secret (its digest computed once); none when unsigned intake is on. */
function matcherFor(secret: string | undefined): ((token: string) => boolean) | undefined {
  return secret === undefined ? undefined : secretMatcher(secret);
}

/** Knative compares with `!=`, which leaks how much of a guess matched; this is constant time. */
function checkToken(matches: ((token: string) => boolean) | undefined, token: string | undefined): void {
  if (matches === undefined) return;
  if (token === undefined) throw new HttpError(401, 'TOKEN_MISSING', 'the X-Gitlab-Token header is missing');
  if (!matches(token)) throw new HttpError(401, 'TOKEN_INVALID', 'the X-Gitlab-Token header does not match');
}

function parseObject(body: Buffer): Payload {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch (error) {
    throw new HttpError(400, 'MALFORMED_JSON', `the body is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new HttpError(400, 'MALFORMED_JSON', 'the body must be a JSON object');
  }
  return parsed as Payload;
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined || first.trim() === '' ? undefined : first;
}
