import { DEFAULT_RESYNC_MS, nearestName, type Env } from '@tributary/core';
import { readGitHubAuth, type GitHubAuth } from './github-auth-config.ts';
import { EVENT_TYPE_PREFIX, KNOWN_EVENT_NAMES } from './event-names.ts';
import { readMultiTenantConfig, type MultiTenantConfig } from './multi-tenant-config.ts';

/** A repository hook (`owner/repo`) or an organization hook (`org`). */
export type HookTarget =
  | { readonly kind: 'repo'; readonly owner: string; readonly repo: string }
  | { readonly kind: 'org'; readonly org: string };

/** Optional webhook management (the job of eventing-github's controller). */
export interface WebhookManagement {
  readonly auth: GitHubAuth;
  /** The URL GitHub should deliver to: this adapter's public address. */
  readonly url: string;
  readonly apiUrl: string;
  readonly targets: readonly HookTarget[];
  /** Events to subscribe the hook to: the allowlist, or `*`. */
  readonly events: readonly string[];
  /** How often a hook in place is checked again (GITHUB_WEBHOOK_RESYNC_INTERVAL; 0: never). */
  readonly resyncMs: number;
}

/** The one-shot command that deletes this adapter's hooks (the charts' pre-delete Job). */
export const DELETE_WEBHOOK_FLAG = '--delete-webhook';

export interface GitHubConfig {
  /** HMAC keys, the current one first, then the previous one during a rotation. Empty only when unsigned intake is allowed. */
  readonly secrets: readonly string[];
  /** True while `GITHUB_SECRET_TOKEN_PREVIOUS` is set: hooks are rewritten with the current secret. */
  readonly rotatingSecret: boolean;
  /** Web base URL without a trailing slash (`https://github.com`, or the Enterprise host). */
  readonly webUrl: string;
  /** The `source` of every event when exactly one owner/repo or org is configured; otherwise taken from each payload. */
  readonly source: string | undefined;
  /** Allowlist of `X-GitHub-Event` names; undefined forwards every event. */
  readonly eventTypes: ReadonlySet<string> | undefined;
  readonly maxBodyBytes: number;
  /** Answer within this (ms) or 503 while the delivery goes on; 0: wait for the delivery. */
  readonly answerDeadlineMs: number;
  readonly webhook: WebhookManagement | undefined;
  /** Set in multi-tenant mode: every GitHubSource served by path; the single-source fields above are then unused. */
  readonly multiTenant: MultiTenantConfig | undefined;
}

const OWNER_REPO = /^[A-Za-z0-9](?:[A-Za-z0-9-]*)(?:\/[A-Za-z0-9._-]+)?$/;
/** GitHub's own limit for a webhook payload is 25 MB; larger deliveries are never sent. */
export const DEFAULT_MAX_BODY_BYTES = 25 * 1024 * 1024;

/**
 * GitHub gives a delivery 10 s to be answered, then closes the connection and marks it failed
 * (docs.github.com, "Handling webhook deliveries": "respond with a 2XX response within 10 seconds").
 * Answering 503 at 8 s tells it the truth before it gives up.
 */
export const DEFAULT_ANSWER_DEADLINE_MS = 8_000;

export function readGitHubConfig(env: Env, _runtime?: unknown, args: readonly string[] = []): GitHubConfig {
  const multiTenant = readMultiTenantConfig(env);
  if (multiTenant !== undefined) {
    // Each GitHubSource's hook is its controller's: there is no hook of this adapter to delete.
    if (args.includes(DELETE_WEBHOOK_FLAG))
      env.problem('GITHUB_WEBHOOK_URL', `${DELETE_WEBHOOK_FLAG} is for one source; in multi-tenant mode the controller owns the hooks`);
    return multiTenantConfig(env, multiTenant);
  }
  const allowUnsigned = env.bool('GITHUB_ALLOW_UNSIGNED');
  const secret = env.secret('GITHUB_SECRET_TOKEN', { required: !allowUnsigned });
  const previous = env.secret('GITHUB_SECRET_TOKEN_PREVIOUS');
  if (previous !== undefined && (secret === undefined || secret === '')) {
    env.problem('GITHUB_SECRET_TOKEN_PREVIOUS', 'is set without GITHUB_SECRET_TOKEN (the new secret)');
  }
  const secrets = [secret, previous].filter((s): s is string => s !== undefined && s !== '');

  const webUrl = (env.url('GITHUB_URL')?.href ?? 'https://github.com').replace(/\/+$/, '');
  const ownerRepos = readOwnerRepos(env);
  const eventTypes = readEventTypes(env);
  return {
    secrets,
    rotatingSecret: previous !== undefined,
    webUrl,
    source: ownerRepos.length === 1 ? `${webUrl}/${ownerRepos[0]}` : undefined,
    eventTypes,
    maxBodyBytes:
      env.int('GITHUB_MAX_BODY_BYTES', { default: DEFAULT_MAX_BODY_BYTES, min: 1 }) ?? DEFAULT_MAX_BODY_BYTES,
    answerDeadlineMs: env.duration('GITHUB_ANSWER_DEADLINE', DEFAULT_ANSWER_DEADLINE_MS),
    webhook: readWebhookManagement(env, webUrl, ownerRepos, eventTypes, args.includes(DELETE_WEBHOOK_FLAG)),
    multiTenant: undefined,
  };
}

/** The controller creates and owns each source's hook; the adapter only verifies and forwards. */
function multiTenantConfig(env: Env, multiTenant: MultiTenantConfig): GitHubConfig {
  return {
    secrets: [],
    rotatingSecret: false,
    webUrl: (env.url('GITHUB_URL')?.href ?? 'https://github.com').replace(/\/+$/, ''),
    source: undefined,
    eventTypes: undefined,
    maxBodyBytes:
      env.int('GITHUB_MAX_BODY_BYTES', { default: DEFAULT_MAX_BODY_BYTES, min: 1 }) ?? DEFAULT_MAX_BODY_BYTES,
    answerDeadlineMs: env.duration('GITHUB_ANSWER_DEADLINE', DEFAULT_ANSWER_DEADLINE_MS),
    webhook: undefined,
    multiTenant,
  };
}

function readOwnerRepos(env: Env): string[] {
  const entries = env.list('GITHUB_OWNER_REPO').map((entry) => entry.replace(/\/+$/, ''));
  for (const entry of entries) {
    if (!OWNER_REPO.test(entry))
      env.problem('GITHUB_OWNER_REPO', `${JSON.stringify(entry)} is not "owner/repo" or "org"`);
  }
  return entries;
}

/** Event names as in `X-GitHub-Event`; full CloudEvent types (copied from a Trigger) are accepted too. `*` means all. */
function readEventTypes(env: Env): ReadonlySet<string> | undefined {
  const names = env
    .list('GITHUB_EVENT_TYPES')
    .map((name) =>
      name.startsWith(`${EVENT_TYPE_PREFIX}.`) ? name.slice(EVENT_TYPE_PREFIX.length + 1) : name,
    );
  if (names.length === 0 || names.includes('*')) return undefined;
  for (const name of names) {
    // An unknown name would start fine and then answer every delivery of the meant event with
    // 202 event-not-allowed: refuse it now, naming what was probably meant.
    if (!KNOWN_EVENT_NAMES.includes(name)) {
      const meant = nearestName(name, KNOWN_EVENT_NAMES);
      env.problem(
        'GITHUB_EVENT_TYPES',
        `${JSON.stringify(name)} is not a GitHub event name` +
          (meant === undefined ? ' (like push or pull_request; see packages/github/README.md)' : `; did you mean ${JSON.stringify(meant)}?`),
      );
    }
  }
  return new Set(names);
}

function readWebhookManagement(
  env: Env,
  webUrl: string,
  ownerRepos: readonly string[],
  eventTypes: ReadonlySet<string> | undefined,
  deleting: boolean,
): WebhookManagement | undefined {
  const auth = readGitHubAuth(env);
  const url = env.url('GITHUB_WEBHOOK_URL');
  const apiUrl = env.url('GITHUB_API_URL')?.href.replace(/\/+$/, '') ?? defaultApiUrl(webUrl);
  const resyncMs = env.duration('GITHUB_WEBHOOK_RESYNC_INTERVAL', DEFAULT_RESYNC_MS, { min: 0 });
  if (env.bool('GITHUB_DELETE_WEBHOOK_ON_EXIT')) {
    // One replica stopping (a rollout, a scale-down, an eviction) cannot know whether others still
    // serve the hook: deleting it then would silently stop every delivery.
    env.warn(
      'GITHUB_DELETE_WEBHOOK_ON_EXIT',
      `is ignored: a stopping replica never deletes the hook; run \`main.js ${DELETE_WEBHOOK_FLAG}\` (the chart's pre-delete Job does) to remove it`,
    );
  }
  if (auth === undefined && url === undefined) {
    if (deleting)
      env.problem('GITHUB_WEBHOOK_URL', `${DELETE_WEBHOOK_FLAG} needs GITHUB_WEBHOOK_URL and GITHUB_ACCESS_TOKEN or a GitHub App`);
    return undefined;
  }
  if (auth === undefined)
    env.problem(
      'GITHUB_ACCESS_TOKEN',
      'required when GITHUB_WEBHOOK_URL is set (set it or GITHUB_ACCESS_TOKEN_FILE, or a GitHub App: GITHUB_APP_ID, GITHUB_APP_PRIVATE_KEY, GITHUB_APP_INSTALLATION_ID)',
    );
  if (url === undefined && !env.has('GITHUB_WEBHOOK_URL'))
    env.problem('GITHUB_WEBHOOK_URL', `required when ${auth?.kind === 'app' ? 'GITHUB_APP_ID' : 'GITHUB_ACCESS_TOKEN'} is set`);
  if (ownerRepos.length === 0)
    env.problem(
      'GITHUB_OWNER_REPO',
      'required for webhook management: the repos or orgs to install the hook on',
    );
  return {
    auth: auth ?? { kind: 'token', token: '' },
    url: url?.href ?? '',
    apiUrl,
    targets: ownerRepos.map(toHookTarget),
    events: eventTypes === undefined ? ['*'] : [...eventTypes],
    resyncMs,
  };
}

/** github.com's API lives on its own host; GitHub Enterprise Server serves it under `/api/v3`. */
function defaultApiUrl(webUrl: string): string {
  return webUrl === 'https://github.com' ? 'https://api.github.com' : `${webUrl}/api/v3`;
}

export function toHookTarget(ownerRepo: string): HookTarget {
  const [owner = '', repo] = ownerRepo.split('/');
  return repo === undefined ? { kind: 'org', org: owner } : { kind: 'repo', owner, repo };
}
