import { DEFAULT_RESYNC_MS, nearestName, type Env } from '@tributary/core';
import { eventKindByName, GITLAB_EVENT_KINDS } from './events.ts';

export interface GitlabConfig {
  /** `X-Gitlab-Token` must equal this; undefined only with GITLAB_ALLOW_UNSIGNED=true. */
  readonly secretToken: string | undefined;
  /** The `source` of every event when set (Knative's `spec.projectUrl`), kept verbatim. */
  readonly eventSource: string | undefined;
  /** The group whose hook is managed, and the `source` of group-only events. */
  readonly groupUrl: string | undefined;
  /** Allowed type suffixes; undefined forwards every event. */
  readonly eventTypes: ReadonlySet<string> | undefined;
  readonly allowSystemHooks: boolean;
  readonly maxBodyBytes: number;
  /** Answer within this (ms) or 503 while the delivery goes on; 0: wait for the delivery. */
  readonly answerDeadlineMs: number;
  /** Hook management, when GITLAB_ACCESS_TOKEN and GITLAB_WEBHOOK_URL are both set. */
  readonly hook: HookConfig | undefined;
}

export interface HookConfig {
  readonly accessToken: string;
  readonly webhookUrl: string;
  /** The project (GITLAB_EVENT_SOURCE) or group (GITLAB_GROUP_URL) that holds the hook. */
  readonly target: { readonly kind: 'project' | 'group'; readonly url: URL };
  /** Instance root (`https://host/gitlab`); undefined means find it from the target URL. */
  readonly baseUrl: URL | undefined;
  readonly sslVerify: boolean;
  /** PEM trusted for the API calls in addition to the system roots. */
  readonly caCerts: string | undefined;
  /** How often a hook in place is checked again (GITLAB_WEBHOOK_RESYNC_INTERVAL; 0: never). */
  readonly resyncMs: number;
}

/** The one-shot command that deletes this adapter's hook (the chart's pre-delete Job). */
export const DELETE_WEBHOOK_FLAG = '--delete-webhook';

/** GitHub allows 25 MB payloads; GitLab's push and merge request payloads stay well below that. */
const DEFAULT_MAX_BODY_BYTES = 25 * 1024 * 1024;

/**
 * GitLab waits 10 s for a hook's answer, then records the delivery as failed (`webhook_timeout`,
 * default 10 s on self-managed instances, 10 s on GitLab.com: docs "GitLab.com settings", "Other
 * limits"). Answering 503 at 8 s tells it the truth before it gives up.
 */
export const DEFAULT_ANSWER_DEADLINE_MS = 8_000;

export function readGitlabConfig(env: Env, _runtime?: unknown, args: readonly string[] = []): GitlabConfig {
  const allowUnsigned = env.bool('GITLAB_ALLOW_UNSIGNED');
  const secretToken = env.secret('GITLAB_SECRET_TOKEN', { required: !allowUnsigned });
  const eventSource = readUrlString(env, 'GITLAB_EVENT_SOURCE');
  const groupUrl = readUrlString(env, 'GITLAB_GROUP_URL');
  if (eventSource === undefined && groupUrl === undefined) {
    env.problem(
      'GITLAB_EVENT_SOURCE',
      'required: set the project URL (or GITLAB_GROUP_URL for a group hook)',
    );
  }
  return {
    secretToken,
    eventSource,
    groupUrl,
    eventTypes: readEventTypes(env),
    allowSystemHooks: env.bool('GITLAB_ALLOW_SYSTEM_HOOKS'),
    maxBodyBytes:
      env.int('GITLAB_MAX_BODY_BYTES', { default: DEFAULT_MAX_BODY_BYTES, min: 1024 }) ??
      DEFAULT_MAX_BODY_BYTES,
    answerDeadlineMs: env.duration('GITLAB_ANSWER_DEADLINE', DEFAULT_ANSWER_DEADLINE_MS),
    hook: readHookConfig(env, eventSource, groupUrl, args.includes(DELETE_WEBHOOK_FLAG)),
  };
}

function readUrlString(env: Env, name: string): string | undefined {
  const value = env.string(name);
  if (value === undefined) return undefined;
  if (!URL.canParse(value) || !/^https?:$/.test(new URL(value).protocol)) {
    env.problem(name, `must be an http(s) URL, got ${JSON.stringify(value)}`);
  }
  return value;
}

function readEventTypes(env: Env): ReadonlySet<string> | undefined {
  const names = env.list('GITLAB_EVENT_TYPES');
  if (names.length === 0) return undefined;
  const suffixes = new Set<string>();
  for (const name of names) {
    const kind = eventKindByName(name);
    if (kind) suffixes.add(kind.suffix);
    else {
      const meant = nearestName(name, GITLAB_EVENT_KINDS.map((k) => k.suffix));
      const hint = meant === undefined ? '' : `did you mean ${JSON.stringify(meant)}? `;
      env.problem('GITLAB_EVENT_TYPES', `unknown event type ${JSON.stringify(name)}; ${hint}known: ${knownNames()}`);
    }
  }
  return suffixes;
}

function knownNames(): string {
  return GITLAB_EVENT_KINDS.map((k) => k.suffix).join(', ');
}

function readHookConfig(
  env: Env,
  eventSource: string | undefined,
  groupUrl: string | undefined,
  deleting: boolean,
): HookConfig | undefined {
  const accessToken = env.secret('GITLAB_ACCESS_TOKEN');
  const webhookUrl = env.url('GITLAB_WEBHOOK_URL');
  const options = {
    baseUrl: env.url('GITLAB_BASE_URL'),
    sslVerify: env.bool('GITLAB_SSL_VERIFY', true),
    caCerts: readCaCerts(env),
    resyncMs: env.duration('GITLAB_WEBHOOK_RESYNC_INTERVAL', DEFAULT_RESYNC_MS, { min: 0 }),
  };
  if (env.bool('GITLAB_DELETE_WEBHOOK_ON_EXIT')) {
    // One replica stopping (a rollout, a scale-down, an eviction) cannot know whether others still
    // serve the hook: deleting it then would silently stop every delivery.
    env.warn(
      'GITLAB_DELETE_WEBHOOK_ON_EXIT',
      `is ignored: a stopping replica never deletes the hook; run \`main.js ${DELETE_WEBHOOK_FLAG}\` (the chart's pre-delete Job does) to remove it`,
    );
  }
  if (accessToken === undefined && webhookUrl === undefined) {
    if (deleting)
      env.problem('GITLAB_WEBHOOK_URL', `${DELETE_WEBHOOK_FLAG} needs GITLAB_WEBHOOK_URL and GITLAB_ACCESS_TOKEN`);
    return undefined;
  }
  if (accessToken === undefined || webhookUrl === undefined) {
    const missing = accessToken === undefined ? 'GITLAB_ACCESS_TOKEN' : 'GITLAB_WEBHOOK_URL';
    env.problem(missing, 'hook management needs both GITLAB_ACCESS_TOKEN and GITLAB_WEBHOOK_URL');
    return undefined;
  }
  const targetUrl = groupUrl ?? eventSource;
  if (targetUrl === undefined || !URL.canParse(targetUrl)) return undefined;
  if (options.baseUrl !== undefined && !isUnder(new URL(targetUrl), options.baseUrl)) {
    env.problem('GITLAB_BASE_URL', `must be the instance root that ${targetUrl} lives under`);
  }
  return {
    accessToken,
    webhookUrl: webhookUrl.href,
    target: { kind: groupUrl !== undefined ? 'group' : 'project', url: new URL(targetUrl) },
    ...options,
  };
}

function isUnder(url: URL, base: URL): boolean {
  const root = base.pathname.replace(/\/*$/, '/');
  return url.origin === base.origin && url.pathname.startsWith(root);
}

function readCaCerts(env: Env): string | undefined {
  const pem = env.secret('GITLAB_CA_CERTS');
  if (pem !== undefined && !pem.includes('-----BEGIN CERTIFICATE-----')) {
    env.problem('GITLAB_CA_CERTS', 'must hold PEM certificates (-----BEGIN CERTIFICATE-----)');
  }
  return pem;
}
